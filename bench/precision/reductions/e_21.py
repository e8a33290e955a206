# e_21: x_transformers x_transformers/nonautoregressive_wrapper.py:54 (CA115 `return random() < prob`)
# sample_prob / coin_flip are called from NonAutoregressiveWrapper.forward (training loss) whenever
# no_replace_prob > 0 (default 0.15) or random_token_prob > 0 (default 0.1), or self_cond is on.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
from random import random
import torch


def sample_prob(prob):
    return random() < prob


def coin_flip():
    return sample_prob(0.5)


def forward(x, mask, no_replace_prob=0.15):
    replace_mask_id_mask = mask.clone()
    frac_seq_left = 1.
    if no_replace_prob > 0. and coin_flip():
        frac_seq_left -= no_replace_prob
        replace_mask_id_mask &= torch.rand_like(x, dtype=torch.float) > no_replace_prob
    return torch.where(replace_mask_id_mask, 0, x) * frac_seq_left


check(forward, torch.randint(1, 10, (2, 8)), torch.rand(2, 8) < 0.5)
