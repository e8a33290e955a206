"""NEGATIVE: a custom autograd.Function (straight-through estimator) that is fully traceable."""

import torch
from torch import nn


class RoundSTE(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return torch.round(x)

    @staticmethod
    def backward(ctx, grad):
        return grad


class FakeQuant(nn.Module):
    def __init__(self, bits: int = 8):
        super().__init__()
        self.qmax = 2 ** (bits - 1) - 1

    def forward(self, x):
        scale = x.abs().amax().clamp_min(1e-8) / self.qmax
        return RoundSTE.apply(x / scale) * scale


model = torch.compile(FakeQuant())


def case_neg_autograd_clean():
    return model._orig_mod, (torch.randn(2, 8),)
