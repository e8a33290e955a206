"""Aliases through `from ... import ... as ...` and `from torch import compiler`."""

import torch
from torch import compiler, nn
from torch._dynamo import graph_break as gb
from torch.compiler import disable as no_compile


@no_compile
def to_cpu_list(t):
    return t.detach().cpu()


@compiler.disable()
def record(t):
    return t.sum()


class Head(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)

    def forward(self, x):
        h = self.fc(x)
        gb()
        h2 = to_cpu_list(h)
        total = record(h2)
        return h2 * 2, total


model = torch.compile(Head())


def case_alias_from():
    return model._orig_mod, (torch.randn(2, 8),)
