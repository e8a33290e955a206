"""NEGATIVE: a layer passed as an argument whose result only feeds tensor math; shape-based branching."""

import torch
from torch import nn


def residual(layer, x):
    out = layer(x)
    if out.shape[-1] == x.shape[-1]:
        return x + out
    return out


class Model(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.body = nn.Linear(dim, dim)

    def forward(self, x, mask=None):
        h = residual(self.body, x)
        if mask is None:
            return h
        return h * mask


model = torch.compile(Model())


def case_neg_layer_arg_math():
    return model._orig_mod, (torch.randn(2, 8),)
