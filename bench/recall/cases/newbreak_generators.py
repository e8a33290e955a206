"""Generators and iterators crossing the compile boundary."""

import torch
from torch import nn


class Stack(nn.Module):
    def __init__(self, dim: int = 8, depth: int = 3):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(dim, dim) for _ in range(depth))

    def iter_hidden(self, x):
        for layer in self.layers:
            x = layer(x)
            yield x

    def forward(self, x):
        hidden = self.iter_hidden(x)
        first = next(hidden)
        return first, hidden


def consume(chunks):
    total = None
    for c in chunks:
        total = c if total is None else total + c
    return total


model = torch.compile(Stack())
compiled_consume = torch.compile(consume)


def case_return_live_generator():
    return model._orig_mod, (torch.randn(2, 8),)


def case_iterator_argument():
    return consume, lambda: (iter([torch.randn(3), torch.randn(3)]),)
