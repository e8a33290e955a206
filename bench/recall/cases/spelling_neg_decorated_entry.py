"""NEGATIVE: a disabled debug helper called only under a flag that is False (Dynamo folds the test)."""

import torch
from torch import nn


@torch.compiler.disable
def save_debug_tensors(store, h):
    store.append(h.detach().clone())


class Net(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.debug = False
        self.store = []

    def forward(self, x):
        h = torch.tanh(self.fc(x))
        if self.debug:
            save_debug_tensors(self.store, h)
        return h


model = torch.compile(Net())


def case_neg_decorated_entry():
    return model._orig_mod, (torch.randn(2, 8),)
