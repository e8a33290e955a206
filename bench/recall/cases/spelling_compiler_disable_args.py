"""`@torch.compiler.disable(recursive=False)` and `@torch.compiler.disable(reason=...)`."""

import torch
from torch import nn


@torch.compiler.disable(recursive=False)
def shift_tokens(x):
    return torch.roll(x, shifts=1, dims=0)


@torch.compiler.disable(reason="custom kernel launcher")
def fused_norm(x):
    return x / x.norm(dim=-1, keepdim=True)


class Mixer(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)

    def forward(self, x):
        h = shift_tokens(self.fc(x))
        h = fused_norm(h)
        return h * 2


model = torch.compile(Mixer())


def case_compiler_disable_args():
    return model._orig_mod, (torch.randn(3, 8),)
