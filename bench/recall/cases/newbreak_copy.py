"""copy.copy / copy.deepcopy of modules and containers inside compiled code."""

import copy

import torch
from torch import nn


class EMATeacher(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.student = nn.Linear(dim, dim)

    def forward(self, x):
        teacher = copy.deepcopy(self.student)
        return self.student(x), teacher(x).detach()


class CachedBlock(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.cache = {"scale": torch.ones(dim)}

    def forward(self, x):
        state = copy.copy(self.cache)
        state["out"] = self.fc(x) * state["scale"]
        return state["out"]


def shuffle_views(views):
    order = copy.copy(views)
    order.reverse()
    return torch.cat(order, dim=0)


teacher = torch.compile(EMATeacher())
cached = torch.compile(CachedBlock())
compiled_shuffle = torch.compile(shuffle_views)


def case_deepcopy_module():
    return teacher._orig_mod, (torch.randn(2, 8),)


def case_copy_dict():
    return cached._orig_mod, (torch.randn(2, 8),)


def case_copy_list():
    return shuffle_views, ([torch.randn(1, 4), torch.randn(2, 4)],)
