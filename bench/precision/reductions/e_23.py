# e_23: x_transformers x_transformers/x_transformers.py:3646 (layer dropout in AttentionLayers.forward)
# and x_transformers/xm_latent_decoder.py:237 (latent drop): CA115
# `if self.training and p > 0. and random() < p:` with p a Python float (layer_dropout /
# latent_drop_prob option > 0) -- random() runs every training step.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
from random import random
import torch
import torch.nn as nn


class Layers(nn.Module):
    def __init__(self, layer_dropout=0.1, depth=3):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(8, 8) for _ in range(depth)])
        self.layer_dropouts = (layer_dropout,) * depth   # cast_tuple(layer_dropout, len(layer_types))

    def forward(self, x):
        for block, layer_dropout in zip(self.layers, self.layer_dropouts):
            if self.training and layer_dropout > 0. and random() < layer_dropout:
                continue
            x = x + block(x)
        return x


check(Layers().train(), torch.randn(2, 8))
