"""warnings.warn, time.time and random draws in forward (the usual "helpful" side effects)."""

import random
import time
import warnings

import torch
from torch import nn


class Dropish(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.last_call = 0.0

    def forward(self, x):
        if x.dim() != 2:
            warnings.warn("expected a 2-D input")
        self.last_call = time.time()
        p = random.random()
        return nn.functional.dropout(self.fc(x), p=0.1 * p, training=True)


model = torch.compile(Dropish())


def case_side_effects():
    return model._orig_mod, (torch.randn(2, 3, 8),)
