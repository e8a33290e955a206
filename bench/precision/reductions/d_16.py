# x_transformers x_transformers/xm_latent_decoder.py:280 CA108 nth 1 -- calc_repulsion = repulsive_loss_weight > 0. and candidates > 1
# x_transformers x_transformers/xm_latent_decoder.py:282 CA108 nth 1 -- collect_logits = calc_repulsion or needs_intermediates
# repulsive_loss_weight = default(arg, self.repulsive_loss_weight) is a Python float, candidates a Python int,
# needs_intermediates = (winner_fn is not lowest_loss_winner_fn) a Python bool: no tensor is truth-tested.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def lowest_loss_winner_fn(losses):
    return losses.argmin(dim=-1)


def forward(seq, repulsive_loss_weight=None, candidates=None, winner_fn=lowest_loss_winner_fn):
    candidates = candidates if candidates is not None else 2
    repulsive_loss_weight = repulsive_loss_weight if repulsive_loss_weight is not None else 0.1
    calc_repulsion = repulsive_loss_weight > 0. and candidates > 1
    needs_intermediates = winner_fn is not lowest_loss_winner_fn
    collect_logits = calc_repulsion or needs_intermediates
    out = seq.float().repeat(candidates, 1)
    return out * 2 if collect_logits else out


check(forward, torch.randint(0, 10, (2, 8)))
