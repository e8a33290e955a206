"""`.tolist()` to build Python lists from tensors (split sizes, label decoding)."""

import torch
from torch import nn


class SplitHeads(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)

    def forward(self, x, sizes):
        h = self.fc(x)
        parts = h.split(sizes.tolist(), dim=-1)
        return [p.mean(-1) for p in parts]


model = torch.compile(SplitHeads())


def case_tolist():
    return model._orig_mod, (torch.randn(2, 8), torch.tensor([3, 5]))
