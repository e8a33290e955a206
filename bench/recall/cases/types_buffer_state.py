"""Registered buffers read as state (`if self.num_batches_tracked == 0:`), BatchNorm-style warmup."""

import torch
from torch import nn


class RunningNorm(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.register_buffer("num_batches_tracked", torch.tensor(0, dtype=torch.long))
        self.register_buffer("running_mean", torch.zeros(dim))

    def forward(self, x):
        if self.num_batches_tracked == 0:
            self.running_mean.copy_(x.mean(0))
        else:
            self.running_mean.lerp_(x.mean(0), 0.1)
        self.num_batches_tracked += 1
        return x - self.running_mean


model = torch.compile(RunningNorm())


def case_buffer_state():
    return model._orig_mod, (torch.randn(4, 8),)
