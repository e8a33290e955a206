"""A 0-d tensor used as a slice bound or index (trimming padding to the longest sequence)."""

import torch
from torch import nn


class TrimPadding(nn.Module):
    def forward(self, x, lengths):
        max_len = lengths.max()
        return x[:, :max_len]


class PickStep(nn.Module):
    def forward(self, x, step):
        return x[step:step + 2]


trim = torch.compile(TrimPadding())
pick = torch.compile(PickStep())


def case_slice_bound():
    return trim._orig_mod, (torch.randn(2, 6, 4), torch.tensor([3, 4]))


def case_slice_start():
    return pick._orig_mod, (torch.randn(6, 4), torch.tensor(1))
