"""Debug print left in forward."""

import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)

    def forward(self, x):
        h = self.fc(x)
        print("block out", h.shape, h.dtype)
        return torch.relu(h)


model = torch.compile(Block())


def case_print():
    return model._orig_mod, (torch.randn(2, 8),)
