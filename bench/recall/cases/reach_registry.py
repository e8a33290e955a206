"""An activation looked up in a module-level registry dict (ACT2FN-style)."""

import torch
from torch import nn


def swish_logged(x):
    print("swish input range", x.min().item(), x.max().item())
    return x * torch.sigmoid(x)


ACT2FN = {"relu": torch.relu, "swish_logged": swish_logged}


class MLP(nn.Module):
    def __init__(self, dim: int = 8, act: str = "swish_logged"):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.act = ACT2FN[act]

    def forward(self, x):
        return self.act(self.fc(x))


model = torch.compile(MLP())


def case_registry():
    return model._orig_mod, (torch.randn(2, 8),)
