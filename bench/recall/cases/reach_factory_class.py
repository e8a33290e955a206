"""A block class built inside a factory function (timm/fairseq style `make_*` builders)."""

import torch
from torch import nn


def make_block(dim: int, layer_scale: float = 1e-2):
    class ScaledBlock(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(dim, dim)
            self.gamma = nn.Parameter(torch.full((dim,), layer_scale))

        def forward(self, x):
            h = self.fc(x)
            scale = self.gamma.abs().max().item()
            return x + h * scale

    return ScaledBlock()


model = torch.compile(make_block(8))


def case_factory_class():
    return model._orig_mod, (torch.randn(2, 8),)
