"""NEGATIVE: print and logging in __init__ and in a non-compiled method; forward is clean."""

import logging

import torch
from torch import nn

logger = logging.getLogger(__name__)


class Net(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        print("built Net with", sum(p.numel() for p in self.parameters()), "parameters")
        logger.info("Net ready")

    def extra_repr(self):
        return f"dim={self.fc.in_features}"

    def report(self, x):
        print("output norm", self(x).norm().item())

    def forward(self, x):
        return torch.nn.functional.gelu(self.fc(x))


model = torch.compile(Net())


def case_neg_print_init():
    return model._orig_mod, (torch.randn(2, 8),)
