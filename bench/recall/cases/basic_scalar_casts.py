"""Python scalar conversions: int(t), float(t), range over a tensor, f-string of a tensor."""

import torch
from torch import nn


class RepeatBlock(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)

    def forward(self, x, n_steps):
        for _ in range(int(n_steps)):
            x = torch.tanh(self.fc(x))
        return x


def describe(x):
    tag = f"mean={x.mean()}"
    return x * len(tag)


def scale_by(x, s):
    return x * float(s.sum())


model = torch.compile(RepeatBlock())
compiled_describe = torch.compile(describe)
compiled_scale = torch.compile(scale_by)


def case_int_range():
    return model._orig_mod, (torch.randn(2, 8), torch.tensor(2))


def case_fstring():
    return describe, (torch.randn(3),)


def case_float():
    return scale_by, (torch.randn(3), torch.tensor([0.5, 0.25]))
