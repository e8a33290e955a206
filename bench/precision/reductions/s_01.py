# vit_pytorch cait.py:22/26 and xcit.py:33/37 CA104 (dropout_layers, called from Transformer.forward
# on every call, eval too). With layer_dropout > 0 (a documented constructor option),
# `to_drop = torch.zeros(n).uniform_() < dropout` is a boolean Tensor: `if all(to_drop):` takes the
# truth of each element and the comprehension's `if not drop` the truth of a 0-d tensor, both
# data-dependent branching: fullgraph fails (first at the `all`).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
from random import randrange

import torch
import torch.nn as nn


def dropout_layers(layers, dropout):
    if dropout == 0:
        return layers
    num_layers = len(layers)
    to_drop = torch.zeros(num_layers).uniform_(0., 1.) < dropout
    if all(to_drop):
        rand_index = randrange(num_layers)
        to_drop[rand_index] = False
    layers = [layer for (layer, drop) in zip(layers, to_drop) if not drop]
    return layers


class Transformer(nn.Module):
    def __init__(self, layer_dropout=0.1):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(8, 8) for _ in range(3))
        self.layer_dropout = layer_dropout

    def forward(self, x):
        for layer in dropout_layers(self.layers, dropout=self.layer_dropout):
            x = layer(x)
        return x


check(Transformer(), torch.randn(2, 8))
