"""A disabled method called through `self.` (metrics / logging methods on a LightningModule-like class)."""

import torch
from torch import nn


class Classifier(nn.Module):
    def __init__(self, dim: int = 8, classes: int = 3):
        super().__init__()
        self.fc = nn.Linear(dim, classes)
        self.register_buffer("correct", torch.zeros((), dtype=torch.long))

    @torch.compiler.disable
    def _update_metrics(self, logits, target):
        self.correct += (logits.argmax(-1) == target).sum()

    def forward(self, x, target):
        logits = self.fc(x)
        self._update_metrics(logits, target)
        return torch.nn.functional.cross_entropy(logits, target)


model = torch.compile(Classifier())


def case_disable_method():
    return model._orig_mod, (torch.randn(4, 8), torch.tensor([0, 1, 2, 0]))
