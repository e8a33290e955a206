"""`@torch._dynamo.disable` and `@torch._dynamo.disable(recursive=False)` (older code bases)."""

import torch
from torch import nn


@torch._dynamo.disable
def update_histogram(hist, x):
    hist += torch.histc(x.detach(), bins=hist.numel(), min=-3, max=3)
    return hist


@torch._dynamo.disable(recursive=False)
def clamp_outliers(x):
    return x.clamp(-3, 3)


class Observer(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.register_buffer("hist", torch.zeros(16))

    def forward(self, x):
        h = clamp_outliers(self.fc(x))
        update_histogram(self.hist, h)
        return h + 1


model = torch.compile(Observer())


def case_dynamo_disable():
    return model._orig_mod, (torch.randn(3, 8),)
