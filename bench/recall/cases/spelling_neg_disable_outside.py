"""NEGATIVE: disabled helpers and graph_break() that compiled code never reaches."""

import torch
from torch import nn


@torch.compiler.disable
def summarize(t):
    return t.detach().abs().mean()


class Net(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)

    def forward(self, x):
        h = self.fc(x)
        if not torch.compiler.is_compiling():
            torch._dynamo.graph_break()
        return torch.relu(h)


model = torch.compile(Net())


def evaluate(loader):
    stats = []
    for x in loader:
        stats.append(summarize(model(x)))
    return stats


def case_neg_disable_outside():
    return model._orig_mod, (torch.randn(2, 8),)
