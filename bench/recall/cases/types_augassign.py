"""An accumulator that becomes a tensor through augmented assignment (`total += ...`)."""

import torch
from torch import nn


class AuxLossStack(nn.Module):
    def __init__(self, dim: int = 8, depth: int = 3, limit: float = 5.0):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(dim, dim) for _ in range(depth))
        self.limit = limit

    def forward(self, x):
        aux = 0.0
        for layer in self.layers:
            x = torch.tanh(layer(x))
            aux += x.pow(2).mean()
        if aux > self.limit:
            aux = aux / self.limit
        return x, aux


model = torch.compile(AuxLossStack())


def case_augassign():
    return model._orig_mod, (torch.randn(2, 8),)
