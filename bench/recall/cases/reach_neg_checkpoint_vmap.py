"""NEGATIVE: checkpoint and vmap of functions that are traceable."""

import torch
import torch.utils.checkpoint
from torch import nn


def per_sample_norm(v):
    return v / v.norm().clamp_min(1e-6)


class CleanBlock(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc1 = nn.Linear(dim, dim)

    def _ffn(self, x):
        return torch.relu(self.fc1(x))

    def forward(self, x):
        h = torch.utils.checkpoint.checkpoint(self._ffn, x, use_reentrant=False)
        return torch.func.vmap(per_sample_norm)(h)


model = torch.compile(CleanBlock())


def case_neg_checkpoint_vmap():
    return model._orig_mod, (torch.randn(3, 8, requires_grad=True),)
