"""functools.partial of a module-level function stored on the module."""

import functools

import torch
from torch import nn


def soft_cap(x, cap):
    if x.abs().max() > cap:
        return cap * torch.tanh(x / cap)
    return x


class CappedLogits(nn.Module):
    def __init__(self, dim: int = 8, cap: float = 30.0):
        super().__init__()
        self.head = nn.Linear(dim, dim)
        self.cap_fn = functools.partial(soft_cap, cap=cap)

    def forward(self, x):
        return self.cap_fn(self.head(x))


model = torch.compile(CappedLogits())


def case_partial():
    return model._orig_mod, (torch.randn(2, 8) * 100,)
