# RandomApply.forward `if random.random() > self.p:` (self.p a Python float), CA115 nth 1 in
# vit_pytorch/dino.py (line 64), es_vit.py (line 91), lejepa.py (line 110), levjepa.py (line 87).
# The augmentations run inside the learner's forward (Dino/EsViTTrainer/LeJEPA/LeVJEPA .forward).
# Dynamo 2.13 cannot trace random.random() (C builtin marked as skipped) -> fullgraph fails.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import random
import torch
from torch import nn


class RandomApply(nn.Module):
    def __init__(self, fn, p):
        super().__init__()
        self.fn = fn
        self.p = p

    def forward(self, x):
        if random.random() > self.p:
            return x
        return self.fn(x)


m = RandomApply(nn.Identity(), p = 0.3)
check(m, torch.randn(2, 3, 8, 8))
