# e_22: x_transformers x_transformers/nonautoregressive_wrapper.py:362
# (CA115 gumbel_sample(logits, temperature = default(generator_sample_temperature, random())))
# random() is evaluated as an argument on every training step that trains the token critic
# (token_critic set and not only_train_generator), regardless of generator_sample_temperature.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
from random import random
import torch


def exists(val):
    return val is not None


def default(val, d):
    return val if exists(val) else d


def gumbel_sample(t, temperature=1., dim=-1):
    noise = torch.zeros_like(t).uniform_(0, 1)
    return ((t / max(temperature, 1e-10)) + -torch.log(-torch.log(noise.clamp(min=1e-10)).clamp(min=1e-10))).argmax(dim=dim)


def critic_step(logits, mask, orig_seq, generator_sample_temperature=None):
    sampled_ids = gumbel_sample(logits, temperature=default(generator_sample_temperature, random()))
    return torch.where(mask, sampled_ids, orig_seq)


check(critic_step, torch.randn(2, 8, 16), torch.rand(2, 8) < 0.5, torch.randint(0, 16, (2, 8)))
