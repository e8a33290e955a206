"""NEGATIVE: sorted()/max() over Python ints and shapes, str parsing in __init__."""

import torch
from torch import nn


class MultiScale(nn.Module):
    def __init__(self, dim: int = 8, spec: str = "4,2,1"):
        super().__init__()
        self.scales = sorted(int(s) for s in spec.split(","))
        self.fc = nn.Linear(dim, dim)

    def forward(self, x):
        largest = max(self.scales)
        order = sorted(self.scales, reverse=True)
        widest = max(x.shape[-1], largest)
        h = self.fc(x)
        return h * len(order) / widest


model = torch.compile(MultiScale())


def case_neg_python_sorting():
    return model._orig_mod, (torch.randn(2, 8),)
