import torch
from torch import nn


class CpuOffset(nn.Module):
    """Clean code, written for the CPU: it makes a tensor without a device in forward."""

    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(8, 8)

    def forward(self, x):
        return self.lin(x) + torch.arange(8)


class Follows(nn.Module):
    """The same, made on the input's device: runs anywhere."""

    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(8, 8)

    def forward(self, x):
        return self.lin(x) + torch.arange(8, device=x.device)
