"""NEGATIVE: a forward hook and a property that only do tensor math / read Python config."""

import torch
from torch import nn


class ScaledOut(nn.Module):
    def __init__(self, dim: int = 8, heads: int = 2):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.heads = heads
        self.register_buffer("scale", torch.tensor(0.5))
        self.register_forward_hook(self._rescale)

    @property
    def head_dim(self):
        return self.fc.out_features // self.heads

    def _rescale(self, module, inputs, output):
        return output * self.scale

    def forward(self, x):
        h = self.fc(x)
        return h.view(x.shape[0], self.heads, self.head_dim)


model = torch.compile(ScaledOut())


def case_neg_hooks_clean():
    return model._orig_mod, (torch.randn(2, 8),)
