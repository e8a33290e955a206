# x_transformers/xm_latent_decoder.py CA104 nth 1 (line 237, XMLatentDecoder.forward):
# `if self.training and latent_drop_prob > 0. and random() < latent_drop_prob:` - self.training is a
# bool, latent_drop_prob = default(arg, self.latent_drop_prob) a Python float (library default 0.),
# and random is random.random returning a Python float: no tensor is branched on. With the default
# 0. the condition short-circuits and compiles (shown here). (With latent_drop_prob > 0 in training,
# Dynamo 2.13 fails on the random.random() call itself - "Attempted to call function marked as
# skipped" - an untraceable builtin, not the data-dependent tensor branch the finding claims.)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from random import random


class Dec(torch.nn.Module):
    def __init__(self, latent_drop_prob=0.):
        super().__init__()
        self.latent_drop_prob = latent_drop_prob
        self.net = torch.nn.Linear(8, 8)

    def forward(self, seq, latent_drop_prob=None):
        latent_drop_prob = latent_drop_prob if latent_drop_prob is not None else self.latent_drop_prob
        if self.training and latent_drop_prob > 0. and random() < latent_drop_prob:
            return self.net(seq)
        return self.net(seq) * 2


d = Dec().train()
check(d, torch.randn(2, 8))
