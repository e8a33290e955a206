"""A property read in compiled code (learned temperature exposed as a Python float)."""

import torch
from torch import nn


class ContrastiveHead(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.proj = nn.Linear(dim, dim)
        self.log_temp = nn.Parameter(torch.tensor(0.07).log())

    @property
    def temperature(self):
        return self.log_temp.exp().clamp(max=100).item()

    def forward(self, a, b):
        za = nn.functional.normalize(self.proj(a), dim=-1)
        zb = nn.functional.normalize(self.proj(b), dim=-1)
        return za @ zb.t() / self.temperature


model = torch.compile(ContrastiveHead())


def case_property():
    return model._orig_mod, (torch.randn(2, 8), torch.randn(3, 8))
