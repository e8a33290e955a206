"""Calls through variables holding torch functions (`reduce_fn = torch.amax if ... else torch.mean`)."""

import torch
from torch import nn

_reduce = torch.sum


class Pool(nn.Module):
    def __init__(self, dim: int = 8, mode: str = "max"):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.reduce_fn = torch.amax if mode == "max" else torch.mean

    def forward(self, x):
        pooled = self.reduce_fn(self.fc(x), dim=1)
        if pooled.max() > 1:
            pooled = pooled / pooled.max()
        return pooled


def total_energy(x):
    energy = _reduce(x * x)
    return energy.item()


model = torch.compile(Pool())
compiled_energy = torch.compile(total_energy)


def case_fn_attr():
    return model._orig_mod, (torch.randn(2, 4, 8),)


def case_fn_global():
    return total_energy, (torch.randn(4),)
