"""A method passed to torch.utils.checkpoint (activation checkpointing in transformer stacks)."""

import torch
import torch.utils.checkpoint
from torch import nn


class CheckpointedMLP(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc1 = nn.Linear(dim, 4 * dim)
        self.fc2 = nn.Linear(4 * dim, dim)

    def _ffn(self, x):
        h = torch.relu(self.fc1(x))
        if h.mean() > 1.0:
            h = h / h.mean()
        return self.fc2(h)

    def forward(self, x):
        return torch.utils.checkpoint.checkpoint(self._ffn, x, use_reentrant=False)


model = torch.compile(CheckpointedMLP())


def case_checkpoint():
    return model._orig_mod, (torch.randn(2, 8, requires_grad=True),)
