"""A torch function picked by name (`getattr(torch, name)`) and a star-args helper."""

import torch
from torch import nn


def combine(*parts):
    total = sum(parts)
    return total.tolist()


class Act(nn.Module):
    def __init__(self, dim: int = 8, name: str = "tanh"):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.name = name

    def forward(self, x):
        fn = getattr(torch, self.name)
        h = fn(self.fc(x))
        return h, combine(h[0, 0], h[0, 1])


model = torch.compile(Act())


def case_getattr_torch():
    return model._orig_mod, (torch.randn(2, 8),)
