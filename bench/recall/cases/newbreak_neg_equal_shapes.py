"""NEGATIVE: comparisons of shapes and dtypes (not of values), torch.where instead of torch.equal."""

import torch
from torch import nn


class Fuse(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)

    def forward(self, a, b):
        if a.shape == b.shape and a.dtype == b.dtype:
            h = a + b
        else:
            h = a
        same = torch.where(a == b, torch.ones_like(a), torch.zeros_like(a))
        return self.fc(h) + same


model = torch.compile(Fuse())


def case_neg_equal_shapes():
    return model._orig_mod, (torch.randn(2, 8), torch.randn(2, 8))
