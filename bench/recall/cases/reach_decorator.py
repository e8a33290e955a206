"""A decorator wrapping forward (input validation, as in diffusers/transformers utilities)."""

import functools

import torch
from torch import nn


def validate_inputs(fn):
    @functools.wraps(fn)
    def wrapper(self, x, *args, **kwargs):
        if x.abs().max() > 1e4:
            x = x.clamp(-1e4, 1e4)
        return fn(self, x, *args, **kwargs)

    return wrapper


class Projector(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)

    @validate_inputs
    def forward(self, x):
        return self.fc(x)


model = torch.compile(Projector())


def case_decorator():
    return model._orig_mod, (torch.randn(2, 8),)
