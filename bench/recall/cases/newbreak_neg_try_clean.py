"""NEGATIVE: try/except whose handler never runs, a lock used only outside forward."""

import threading

import torch
from torch import nn


class Registry(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.scales = {"base": 2.0}
        self._lock = threading.Lock()

    def register_scale(self, name, value):
        with self._lock:
            self.scales[name] = value

    def forward(self, x):
        try:
            scale = self.scales["base"]
        except KeyError:
            scale = 1.0
        return self.fc(x) * scale


model = torch.compile(Registry())


def case_neg_try_clean():
    return model._orig_mod, (torch.randn(2, 8),)
