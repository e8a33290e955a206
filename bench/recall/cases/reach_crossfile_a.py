"""A model whose forward calls helpers imported from a sibling file."""

import torch
from torch import nn

from reach_crossfile_b import describe, masked_mean


class Pooler(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)

    def forward(self, x, mask):
        h = self.fc(x)
        pooled = masked_mean(h, mask)
        return describe(pooled)


model = torch.compile(Pooler())


def case_crossfile():
    return model._orig_mod, (torch.randn(2, 8), torch.ones(2, 8))
