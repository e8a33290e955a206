"""Tensors stored in a dict and in a list, then tested (`if outputs["loss"] > 1:`, `max(norms)`)."""

import torch
import torch.nn.functional as F
from torch import nn


class Trainer(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)

    def forward(self, x, y):
        outputs = {"pred": self.fc(x)}
        outputs["loss"] = F.mse_loss(outputs["pred"], y)
        if outputs["loss"] > 1.0:
            outputs["loss"] = outputs["loss"].sqrt()
        return outputs["loss"]


class GradClipper(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.a = nn.Linear(dim, dim)
        self.b = nn.Linear(dim, dim)

    def forward(self, x):
        norms = [p.norm() for p in (self.a.weight, self.b.weight)]
        scale = 1.0 / float(norms[0] + norms[1])
        return self.b(self.a(x)) * scale


trainer = torch.compile(Trainer())
clipper = torch.compile(GradClipper())


def case_dict_value():
    return trainer._orig_mod, (torch.randn(2, 8), torch.randn(2, 8) * 10)


def case_list_value():
    return clipper._orig_mod, (torch.randn(2, 8),)
