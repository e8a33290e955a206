"""A lambda stored on the module and called from forward (gating / scoring hooks)."""

import torch
from torch import nn


class GatedResidual(nn.Module):
    def __init__(self, dim: int = 8, threshold: float = 0.0):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.gate = lambda t: t.mean().item() > threshold

    def forward(self, x):
        h = self.fc(x)
        if self.gate(h):
            return x + h
        return x


model = torch.compile(GatedResidual())


def case_lambda_attr():
    return model._orig_mod, (torch.randn(2, 8),)
