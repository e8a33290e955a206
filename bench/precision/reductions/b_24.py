# x_transformers/xm_latent_decoder.py CA104 nth 1 (line 312) / nth 2 (line 333) `if collect_logits:`
# and nth 1 (line 357) `if not calc_repulsion:` in XMLatentDecoder.forward:
# calc_repulsion = repulsive_loss_weight > 0. and candidates > 1 (float / int config values) and
# collect_logits = calc_repulsion or needs_intermediates (winner_fn is not lowest_loss_winner_fn) are
# Python bools.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F


def lowest_loss_winner_fn(losses):
    return losses.argmin(dim=-1)


def xm_loss(seq_candidates, labels, batch, candidates=2, repulsive_loss_weight=0.1, winner_fn=lowest_loss_winner_fn, net=torch.nn.Linear(8, 5)):
    calc_repulsion = repulsive_loss_weight > 0. and candidates > 1
    needs_intermediates = winner_fn is not lowest_loss_winner_fn
    collect_logits = calc_repulsion or needs_intermediates
    all_logits, losses = [], []
    for chunk in seq_candidates.split(2):
        logits = net(chunk)
        if collect_logits:
            all_logits.append(logits)
        losses.append(F.cross_entropy(logits.flatten(0, 1), labels[: chunk.shape[0]].flatten(), reduction="none").view(chunk.shape[0], -1).mean(-1))
    if collect_logits:
        candidate_logits = torch.cat(all_logits, 0).view(batch, candidates, *all_logits[0].shape[1:])
    candidate_losses = torch.cat(losses).view(batch, candidates)
    winner = winner_fn(candidate_losses)
    winner_loss = candidate_losses.gather(1, winner[:, None]).mean()
    if not calc_repulsion:
        return winner_loss
    log_prob = candidate_logits.log_softmax(dim=-1)
    return winner_loss + repulsive_loss_weight * log_prob.mean()


check(xm_loss, torch.randn(4, 6, 8), torch.randint(0, 5, (4, 6)), 2)
