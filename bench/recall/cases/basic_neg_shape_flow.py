"""NEGATIVE: branching on shapes, dims, dtypes, None and self.training; torch.where instead of `if`."""

import torch
from torch import nn


class Robust(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)

    def forward(self, x, mask=None):
        if x.dim() == 3:
            x = x.flatten(0, 1)
        if x.shape[0] > 1 and self.training:
            x = nn.functional.dropout(x, 0.1)
        h = self.fc(x)
        if mask is not None:
            h = h * mask
        if h.dtype != torch.float32:
            h = h.float()
        return torch.where(h > 0, h, 0.1 * h)


model = torch.compile(Robust())


def case_neg_shape_flow():
    return model._orig_mod, (torch.randn(2, 3, 8),)
