"""Forward hooks and pre-hooks registered on a compiled module (activation statistics, input checks)."""

import torch
from torch import nn


class Probe(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.act_max = []
        self.register_forward_hook(self._record)

    def _record(self, module, inputs, output):
        self.act_max.append(output.detach().abs().max().item())

    def forward(self, x):
        return torch.relu(self.fc(x))


def check_inputs(module, args):
    (x,) = args
    if torch.isnan(x).any():
        return (torch.nan_to_num(x),)
    return None


class Guarded(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)

    def forward(self, x):
        return self.fc(x)


guarded = Guarded()
guarded.register_forward_pre_hook(check_inputs)

probe_c = torch.compile(Probe())
guarded_c = torch.compile(guarded)


def case_forward_hook():
    return probe_c._orig_mod, (torch.randn(2, 8),)


def case_forward_pre_hook():
    return guarded_c._orig_mod, (torch.randn(2, 8),)
