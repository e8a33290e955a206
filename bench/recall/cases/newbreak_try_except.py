"""try/except whose handler runs in traced code (fallback on lookup / view failure)."""

import torch
from torch import nn


class ScaleTable(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.scales = {"base": 1.0}

    def forward(self, x, key: str = "large"):
        try:
            scale = self.scales[key]
        except KeyError:
            scale = 0.5
        return self.fc(x) * scale


class Flatten(nn.Module):
    def forward(self, x):
        try:
            return x.view(x.shape[0], -1)
        except RuntimeError:
            return x.reshape(x.shape[0], -1)


table = torch.compile(ScaleTable())
flatten = torch.compile(Flatten())


def case_except_keyerror():
    return table._orig_mod, (torch.randn(2, 8),)


def case_except_view():
    return flatten._orig_mod, (torch.randn(4, 3, 2).transpose(0, 1),)
