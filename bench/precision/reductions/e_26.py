# e_26: x_transformers x_transformers/xm_latent_decoder.py:218 (CA115 randrange(self.num_latents))
# active_latent_index = default(active_latent_index, randrange(self.num_latents)) -- randrange is
# evaluated on every forward (argument of default), num_latents a Python int; the result is then
# range-checked and used to index the winner_fns tuple.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
from random import randrange
import torch
import torch.nn as nn


def exists(v):
    return v is not None


def default(*args):
    for a in args:
        if exists(a):
            return a
    return None


def winner_min(losses):
    return losses.argmin(dim=-1)


class LatentDecoder(nn.Module):
    def __init__(self, num_latents=4):
        super().__init__()
        self.num_latents = num_latents
        self.winner_fns = (winner_min,) * num_latents
        self.net = nn.Linear(8, 8)

    def forward(self, seq, active_latent_index=None):
        winner_fns = self.winner_fns
        active_latent_index = default(active_latent_index, randrange(self.num_latents))
        assert 0 <= active_latent_index < self.num_latents
        winner_fn = winner_fns[active_latent_index]
        return winner_fn(self.net(seq))


check(LatentDecoder().train(), torch.randn(2, 8))
