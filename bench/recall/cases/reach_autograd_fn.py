"""A custom autograd.Function whose forward is reached only through `.apply`."""

import torch
from torch import nn


class ClipGrad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, bound):
        ctx.bound = bound.item()
        return x.clone()

    @staticmethod
    def backward(ctx, grad):
        return grad.clamp(-ctx.bound, ctx.bound), None


class Layer(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.register_buffer("bound", torch.tensor(1.0))

    def forward(self, x):
        return ClipGrad.apply(self.fc(x), self.bound)


model = torch.compile(Layer())


def case_autograd_function():
    return model._orig_mod, (torch.randn(2, 8),)
