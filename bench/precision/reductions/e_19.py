# e_19: x_transformers x_transformers/belief_state_wrapper.py:383 (CA115 random())
# `from random import random`; BeliefStateWrapper(cond_on_distance=True) evaluates random() in its
# training forward every step (self.cond_on_distance is a bool, prob a float).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
from random import random
import torch
import torch.nn as nn


class BeliefStateTail(nn.Module):
    def __init__(self, cond_on_distance=True, cond_on_distance_prob=0.5):
        super().__init__()
        self.cond_on_distance = cond_on_distance
        self.cond_on_distance_prob = cond_on_distance_prob
        self.to_distance_cond = nn.Linear(1, 8)

    def forward(self, fb_embeds, fi, bi):
        cond_on_distance = self.cond_on_distance and (random() < self.cond_on_distance_prob)
        if cond_on_distance:
            distance = (bi - fi).float()
            fb_embeds = fb_embeds * self.to_distance_cond(distance[..., None])
        return fb_embeds


check(BeliefStateTail().train(), torch.randn(2, 5, 8), torch.arange(5), torch.arange(5) + 2)
