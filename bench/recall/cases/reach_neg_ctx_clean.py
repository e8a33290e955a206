"""NEGATIVE: context managers Dynamo understands (no_grad, autocast off, a flag-toggling class)."""

import torch
from torch import nn


class use_cache_mode:
    def __init__(self, module):
        self.module = module

    def __enter__(self):
        self.module.caching = True
        return self

    def __exit__(self, *exc):
        self.module.caching = False
        return False


class Teacher(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.caching = False

    def forward(self, x):
        with torch.no_grad():
            target = self.fc(x).detach()
        with use_cache_mode(self):
            out = self.fc(x)
        return out, target


model = torch.compile(Teacher())


def case_neg_ctx_clean():
    return model._orig_mod, (torch.randn(2, 8),)
