import threading

import torch
import torch.nn.attention
from torch import nn


class MLP(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)
        # a value whose class says it is `torch.nn.attention._SDPBackend`, a name that does not
        # exist (x-transformers keeps one on its attention modules): pickled by the name it has
        self.backend = torch.nn.attention.SDPBackend.MATH

    def forward(self, x):
        h = self.fc1(x)
        scale = h.abs().max().item()
        return self.fc2(h) / scale


def normalize(x):
    if x.sum() > 0:
        return x / x.sum()
    return x


def pick(x, largest=False):
    if largest:  # only a call with largest=True runs this branch
        return torch.tensor(x.max().item())
    return x.min()


def guarded(x, lock):
    with lock:
        print("guarded")
        return x * 2


compiled = torch.compile(MLP(4, 8))
normalize_fast = torch.compile(normalize)
guarded_fast = torch.compile(guarded)
pick_fast = torch.compile(pick)
LOCK = threading.Lock()
