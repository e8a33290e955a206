"""Tensors flowing through **kwargs into a helper that branches on them (HF-style `**kwargs` plumbing)."""

import torch
from torch import nn


class Attention(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.qkv = nn.Linear(dim, 3 * dim)

    def _attend(self, q, k, v, **kwargs):
        mask = kwargs.get("attention_mask")
        scores = q @ k.transpose(-1, -2)
        if mask is not None and mask.all():
            mask = None
        if mask is not None:
            scores = scores.masked_fill(~mask, float("-inf"))
        return torch.softmax(scores, dim=-1) @ v

    def forward(self, x, attention_mask):
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        return self._attend(q, k, v, attention_mask=attention_mask)


model = torch.compile(Attention())


def case_kwargs():
    return model._orig_mod, (torch.randn(2, 4, 8), torch.ones(2, 4, 4, dtype=torch.bool))
