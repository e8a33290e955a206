"""NEGATIVE: traceable branch functions passed to torch.cond (control-flow operator docs pattern).

A branch that graph-breaks cannot be a case: torch.cond compiles its branches even in eager
mode, so such a branch fails eagerly (UncapturedHigherOrderOpError) as well as compiled.
"""

import torch
from torch import nn


def _true_branch(x):
    return x.sin() * 2


def _false_branch(x):
    return x.cos()


class CondBlock(nn.Module):
    def forward(self, x):
        return torch.cond(x.sum() > 0, _true_branch, _false_branch, (x,))


model = torch.compile(CondBlock())


def case_cond():
    return model._orig_mod, (torch.randn(4),)
