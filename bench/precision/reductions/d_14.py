# x_transformers x_transformers/belief_state_wrapper.py:340 CA111 nth 1 -- fb_pairs = fb_pairs[valid_mask]
# (valid_mask = (bi - fi) >= 2 is a bool Tensor; BeliefStateWrapper.forward, training)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def fb_filter(seq):
    seq_len = seq.shape[1]
    seq_arange = torch.arange(seq_len, device=seq.device)
    fb_pairs = torch.cartesian_prod(seq_arange, seq_arange + 1)
    fi, bi = fb_pairs.unbind(dim=-1)
    valid_mask = (bi - fi) >= 2
    fb_pairs = fb_pairs[valid_mask]
    return fb_pairs


check(fb_filter, torch.randint(0, 100, (2, 16)), mode="default")
