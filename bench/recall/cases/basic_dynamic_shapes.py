"""Data-dependent output shapes: nonzero, boolean-mask indexing, masked_select, unique."""

import torch
from torch import nn


class SparseGather(nn.Module):
    def forward(self, x, mask):
        idx = mask.nonzero(as_tuple=True)[0]
        picked = x[idx]
        positives = x[x > 0]
        return picked.sum() + positives.sum()


def unique_labels(labels):
    classes = torch.unique(labels)
    return classes.float().mean()


model = torch.compile(SparseGather())
compiled_unique = torch.compile(unique_labels)


def case_nonzero_mask():
    return model._orig_mod, (torch.randn(6), torch.tensor([1, 0, 1, 1, 0, 0], dtype=torch.bool))


def case_unique():
    return unique_labels, (torch.tensor([0, 2, 2, 1, 0]),)
