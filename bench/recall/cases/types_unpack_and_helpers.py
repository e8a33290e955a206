"""Tensors from tuple unpacking (`values, idx = x.topk(2)`) and from unannotated helpers."""

import torch
from torch import nn


def count_valid(mask):
    return mask.sum()


class TopKRouter(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.gate = nn.Linear(dim, 4)

    def forward(self, x, mask):
        values, idx = self.gate(x).topk(2, dim=-1)
        if idx[0, 0] == 0:
            values = values * 2
        n = count_valid(mask)
        outs = [values[i] for i in range(n)]
        return torch.stack(outs)


model = torch.compile(TopKRouter())


def case_unpack_helpers():
    return model._orig_mod, (torch.randn(3, 8), torch.tensor([True, True, False]))
