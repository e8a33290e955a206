"""An activation returned by a factory and stored on the module (`get_activation(name)`)."""

import torch
from torch import nn


def make_activation(kind: str, limit: float = 6.0):
    if kind == "relu":
        return torch.relu

    def clipped(x):
        if x.abs().max() > limit:
            x = x.clamp(-limit, limit)
        return torch.nn.functional.silu(x)

    return clipped


class FeedForward(nn.Module):
    def __init__(self, dim: int, act: str = "clipped"):
        super().__init__()
        self.up = nn.Linear(dim, 2 * dim)
        self.down = nn.Linear(2 * dim, dim)
        self.act = make_activation(act)

    def forward(self, x):
        return self.down(self.act(self.up(x)))


model = torch.compile(FeedForward(8))


def case_factory_closure():
    return model._orig_mod, (torch.randn(2, 8) * 10,)
