import random

import torch
from torch import nn


class GradOnly(nn.Module):
    """A branch taken only when grad is on; the test calls it under no_grad."""

    def forward(self, x):
        if torch.is_grad_enabled():
            print("grad is on")
        return x * 2


class NotInference(nn.Module):
    """A branch taken only outside inference mode; the test calls it under inference_mode."""

    def forward(self, x):
        if not torch.is_inference_mode_enabled():
            print("not in inference mode")
        return x + 1


class Mixed(nn.Module):
    """A branch on the dtype autocast gives: taken only under autocast(bfloat16)."""

    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(4, 4)

    def forward(self, x):
        y = self.lin(x)
        if y.dtype == torch.bfloat16:
            print("bfloat16")
        return y


class Summed(nn.Module):
    """A forward that takes a list: its subclass reaches it through super().forward."""

    def forward(self, xs):
        total = xs[0]
        for x in xs[1:]:
            total = total + x
        return total * total.sum().item()


class Doubled(Summed):
    def forward(self, x):
        return super().forward([x, x * 2])


def zero_fill(a, b, e):
    a[a == 0], b[b == 0] = a[a == 0] + e, b[b == 0] + e
    return a, b


fill = torch.compile(zero_fill)


class Dropout(nn.Module):
    """`random.random()` runs only when the flag is set; the test leaves it unset."""

    def __init__(self, flag=False, p=0.5):
        super().__init__()
        self.flag, self.p = flag, p

    def forward(self, x):
        if self.flag and random.random() < self.p:
            return x * 0
        return x


class Counter(nn.Module):
    """An int attribute changed in forward: every call recompiles."""

    def __init__(self):
        super().__init__()
        self.steps = 0

    def forward(self, x):
        self.steps += 1
        return x * 2


def total(x):
    return x.sum().item()


run_total = torch.compile(total)
TOTAL = total(torch.ones(3))  # a call made while importing: not a call of the tests


def scaled(x, mode):
    if mode == "a":
        return x * 2
    if mode == "b":
        return x * 3
    if mode == "c":
        return x * 4
    if mode == "d":
        return x * 5
    return x * x.sum().item()  # only the fifth mode: beyond the variants a recording keeps


run_scaled = torch.compile(scaled)
