"""NEGATIVE: a torch.Generator used only at init time; forward draws from the global RNG."""

import torch
from torch import nn


class NoisyLinear(nn.Module):
    def __init__(self, dim: int = 8, seed: int = 0):
        super().__init__()
        gen = torch.Generator().manual_seed(seed)
        self.weight = nn.Parameter(torch.randn(dim, dim, generator=gen) * 0.02)

    def forward(self, x):
        noise = torch.randn_like(x) * 0.01
        return (x + noise) @ self.weight


model = torch.compile(NoisyLinear())


def case_neg_generator_init():
    return model._orig_mod, (torch.randn(2, 8),)
