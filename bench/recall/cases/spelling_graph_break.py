"""An explicit `torch._dynamo.graph_break()` between two stages (docs / test_misc pattern)."""

import torch
from torch import nn


class TwoStage(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.stage1 = nn.Linear(dim, dim)
        self.stage2 = nn.Linear(dim, dim)

    def forward(self, x):
        h = torch.relu(self.stage1(x))
        torch._dynamo.graph_break()
        return self.stage2(h)


model = torch.compile(TwoStage())


def case_graph_break():
    return model._orig_mod, (torch.randn(2, 8),)
