"""A compiled training step that calls .backward() (whole-step compilation)."""

import torch
from torch import nn

net = nn.Linear(8, 1)


@torch.compile
def train_step(x, y):
    loss = nn.functional.mse_loss(net(x), y)
    loss.backward()
    return loss.detach()


def case_backward():
    return train_step._torchdynamo_orig_callable, (torch.randn(4, 8), torch.randn(4, 1))
