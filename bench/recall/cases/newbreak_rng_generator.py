"""A torch.Generator passed to random ops (reproducible dropout / noise schedules)."""

import torch
from torch import nn


class NoisyEmbedding(nn.Module):
    def __init__(self, dim: int = 8, seed: int = 0):
        super().__init__()
        self.emb = nn.Linear(dim, dim)
        self.gen = torch.Generator().manual_seed(seed)

    def forward(self, x):
        h = self.emb(x)
        noise = torch.randn(h.shape, generator=self.gen)
        return h + 0.1 * noise


def add_noise(x, generator):
    keep = torch.bernoulli(torch.full_like(x, 0.9), generator=generator)
    return x * keep


model = torch.compile(NoisyEmbedding())
compiled_noise = torch.compile(add_noise)


def case_generator_attr():
    return model._orig_mod, (torch.randn(2, 8),)


def case_generator_arg():
    return add_noise, (torch.randn(2, 8), torch.Generator().manual_seed(1))
