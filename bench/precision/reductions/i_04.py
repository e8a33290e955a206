# vit_pytorch/jet_vit.py CA115 nth 1 (line 238, RandomLayerSelector.forward): when a layer of the
# documented attn_layers option is given as a tuple of names, key = random.choice(self.attn_layer) picks
# a str at every forward. Dynamo 2.13 cannot trace random.choice (goes through Random.random) -> breaks.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import random
import torch
from torch import nn


class RandomLayerSelector(nn.Module):
    def __init__(self, options: dict, attn_layer):
        super().__init__()
        self.options = nn.ModuleDict(options)
        self.attn_layer = attn_layer

    def forward(self, x):
        if isinstance(self.attn_layer, tuple):
            key = random.choice(self.attn_layer)
        elif isinstance(self.attn_layer, str):
            key = self.attn_layer
        return self.options[key](x)


m = RandomLayerSelector({'FA': nn.Linear(8, 8), 'WA': nn.Linear(8, 8)}, ('FA', 'WA'))
check(m, torch.randn(2, 8))
