"""A threading.Lock held around state updates in forward (thread-safe caches in serving code)."""

import threading

import torch
from torch import nn


class ThreadSafeCounter(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self._lock = threading.Lock()
        self.calls = 0

    def forward(self, x):
        with self._lock:
            self.calls += 1
        return self.fc(x)


model = torch.compile(ThreadSafeCounter())


def case_lock():
    return model._orig_mod, (torch.randn(2, 8),)
