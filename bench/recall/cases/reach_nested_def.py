"""A helper function defined inside forward and called there."""

import torch
from torch import nn


class SegmentPool(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)

    def forward(self, x, lengths):
        def split_segments(h):
            sizes = lengths.tolist()
            return torch.split(h, sizes, dim=0)

        h = self.fc(x)
        parts = split_segments(h)
        return torch.stack([p.mean(0) for p in parts])


model = torch.compile(SegmentPool())


def case_nested_def():
    return model._orig_mod, (torch.randn(5, 8), torch.tensor([2, 3]))
