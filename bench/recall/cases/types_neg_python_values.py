"""NEGATIVE: kwargs holding Python ints, counters of Python ints, torch functions in variables used only in math."""

import torch
from torch import nn


class ChunkedFFN(nn.Module):
    def __init__(self, dim: int = 8, depth: int = 2):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(dim, dim) for _ in range(depth))
        self.act = torch.relu

    def _run(self, x, **kwargs):
        chunks = kwargs.get("chunks", 2)
        parts = [self.act(p) for p in x.chunk(chunks, dim=0)]
        return torch.cat(parts, dim=0)

    def forward(self, x):
        used = 0
        for layer in self.layers:
            x = layer(x)
            used += 1
        if used > 1:
            x = x * 0.5
        return self._run(x, chunks=2)


model = torch.compile(ChunkedFFN())


def case_neg_python_values():
    return model._orig_mod, (torch.randn(4, 8),)
