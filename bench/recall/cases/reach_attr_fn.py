"""Functions held in attributes: `self.penalty_fn = l2_penalty`, `loss_fn = F.cross_entropy`."""

import torch
import torch.nn.functional as F
from torch import nn


def l2_penalty(w):
    return float(w.pow(2).sum()) * 1e-4


class Regularized(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, 3)
        self.penalty_fn = l2_penalty

    def forward(self, x):
        out = self.fc(x)
        return out + self.penalty_fn(self.fc.weight)


loss_fn = F.cross_entropy


def train_step(logits, target):
    loss = loss_fn(logits, target)
    if loss > 10.0:
        loss = loss / 10.0
    return loss


model = torch.compile(Regularized())
compiled_step = torch.compile(train_step)


def case_attr_fn_module():
    return model._orig_mod, (torch.randn(2, 8),)


def case_attr_loss_fn():
    return train_step, (torch.randn(4, 3) * 50, torch.tensor([0, 1, 2, 0]))
