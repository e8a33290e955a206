"""A class defined inside compiled code (a result record declared next to its use)."""

import torch
from torch import nn


class Head(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, 2)

    def forward(self, x):
        class Output:
            def __init__(self, logits):
                self.logits = logits

        return Output(self.fc(x)).logits


model = torch.compile(Head())


def case_class_in_compiled():
    return model._orig_mod, (torch.randn(2, 8),)
