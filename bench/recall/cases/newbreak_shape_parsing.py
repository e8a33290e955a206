"""Parsing a shape spec string in forward with `re` and with `str.split`."""

import re

import torch
from torch import nn

_SPEC = re.compile(r"(\d+)x(\d+)")


class PatchifyRe(nn.Module):
    def __init__(self, spec: str = "2x4"):
        super().__init__()
        self.spec = spec

    def forward(self, x):
        m = _SPEC.match(self.spec)
        ph, pw = int(m.group(1)), int(m.group(2))
        return x.reshape(x.shape[0], -1, ph * pw)


class PatchifySplit(nn.Module):
    def __init__(self, spec: str = "2x4"):
        super().__init__()
        self.spec = spec

    def forward(self, x):
        ph, pw = (int(v) for v in self.spec.split("x"))
        return x.reshape(x.shape[0], -1, ph * pw)


model_re = torch.compile(PatchifyRe())
model_split = torch.compile(PatchifySplit())


def case_re_parse():
    return model_re._orig_mod, (torch.randn(2, 16),)


def case_split_parse():
    return model_split._orig_mod, (torch.randn(2, 16),)
