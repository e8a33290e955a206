"""A profiling context manager class used inside forward (`with Timer("attn"):`)."""

import time

import torch
from torch import nn

TIMINGS = {}


class Timer:
    def __init__(self, name: str):
        self.name = name

    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        TIMINGS[self.name] = time.perf_counter() - self.start
        return False


class Attention(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.qkv = nn.Linear(dim, 3 * dim)

    def forward(self, x):
        with Timer("attn"):
            q, k, v = self.qkv(x).chunk(3, dim=-1)
            attn = torch.softmax(q @ k.transpose(-1, -2), dim=-1)
            out = attn @ v
        return out


model = torch.compile(Attention())


def case_ctx_manager():
    return model._orig_mod, (torch.randn(2, 4, 8),)
