"""torch.equal used as a cache check (returns a Python bool computed from data)."""

import torch
from torch import nn


class RotaryCache(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.register_buffer("cached_pos", torch.arange(4))
        self.register_buffer("cached_emb", torch.randn(4, dim))

    def forward(self, x, positions):
        if torch.equal(positions, self.cached_pos):
            emb = self.cached_emb
        else:
            emb = torch.sin(positions[:, None].float() * torch.ones(1, x.shape[-1]))
        return x + emb


model = torch.compile(RotaryCache())


def case_equal():
    return model._orig_mod, (torch.randn(4, 8), torch.arange(4))
