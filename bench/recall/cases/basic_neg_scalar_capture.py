"""NEGATIVE: reductions kept as 0-d tensors, `torch.clamp` instead of `if`, int() of shapes."""

import torch
from torch import nn


class Normalize(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)

    def forward(self, x):
        h = self.fc(x)
        scale = h.abs().amax().clamp_min(1e-6)
        n = int(h.shape[0])
        width = float(h.size(-1))
        return h / scale * (n / width)


model = torch.compile(Normalize())


def case_neg_scalar_capture():
    return model._orig_mod, (torch.randn(2, 8),)
