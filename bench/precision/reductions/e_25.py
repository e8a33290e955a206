# e_25: x_transformers x_transformers/x_transformers.py:4541 (CA115 randrange in recycling)
# recycle_steps = default(recycle_steps, (randrange(self.train_max_recycle_steps) + 1) if self.training else None)
# with train_max_recycle_steps a Python int (default 4), in TransformerWrapper.forward when recycling=True
# and training; the drawn value then feeds `assert ... recycle_steps > 0` and `range(recycle_steps)`.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
from random import randrange
from contextlib import nullcontext
import torch
import torch.nn as nn


def exists(v):
    return v is not None


def default(v, d):
    return v if exists(v) else d


class Recycler(nn.Module):
    def __init__(self, train_max_recycle_steps=4):
        super().__init__()
        self.train_max_recycle_steps = train_max_recycle_steps
        self.recycled_proj = nn.Linear(8, 8)
        self.attn = nn.Linear(8, 8)

    def forward(self, x, recycle_steps=None):
        recycle_steps = default(recycle_steps, (randrange(self.train_max_recycle_steps) + 1) if self.training else None)
        assert exists(recycle_steps) and recycle_steps > 0, '`recycle_steps` must be provided'
        attended = None
        for i in range(recycle_steps):
            first_step = i == 0
            last_step = i == (recycle_steps - 1)
            context = nullcontext if last_step else torch.no_grad
            with context():
                maybe_recycled = self.recycled_proj(attended.detach()) if not first_step else 0.
                attended = self.attn(x + maybe_recycled)
        return attended


check(Recycler().train(), torch.randn(2, 8))
