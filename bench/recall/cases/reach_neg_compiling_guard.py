"""NEGATIVE: debug helpers only reached in eager mode, behind torch.compiler.is_compiling()."""

import torch
from torch import nn


class Block(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)

    def _debug_dump(self, h):
        print("block output", h.abs().max().item())

    def forward(self, x):
        h = self.fc(x)
        if not torch.compiler.is_compiling():
            self._debug_dump(h)
        return torch.relu(h)


model = torch.compile(Block())


def case_neg_compiling_guard():
    return model._orig_mod, (torch.randn(2, 8),)
