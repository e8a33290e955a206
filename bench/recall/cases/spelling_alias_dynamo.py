"""Aliases through `import torch._dynamo as dynamo` / `as torchdynamo`."""

import torch
import torch._dynamo as dynamo
import torch._dynamo as torchdynamo
from torch import nn


@torchdynamo.disable
def log_grad_norm(t):
    return t.detach().norm()


class Block(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)

    def forward(self, x):
        h = self.fc(x)
        dynamo.graph_break()
        norm = log_grad_norm(h)
        return h, norm


model = torch.compile(Block())


def case_alias_dynamo():
    return model._orig_mod, (torch.randn(2, 8),)
