"""`.item()` to read a scalar in forward (loss scaling, dynamic thresholds)."""

import torch
from torch import nn


class AdaptiveThreshold(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)

    def forward(self, x):
        h = self.fc(x)
        thr = h.abs().mean().item()
        return torch.where(h.abs() > thr, h, torch.zeros_like(h))


model = torch.compile(AdaptiveThreshold())


def case_item():
    return model._orig_mod, (torch.randn(2, 8),)
