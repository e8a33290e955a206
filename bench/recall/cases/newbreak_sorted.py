"""sorted() / max(key=) over tensors (picking the best candidate / ranking losses)."""

import torch


def best_candidate(candidates):
    return max(candidates, key=lambda c: c.norm())


def rank_losses(a, b, c):
    ordered = sorted([a, b, c])
    return ordered[0] + ordered[-1]


compiled_best = torch.compile(best_candidate)
compiled_rank = torch.compile(rank_losses)


def case_max_key():
    return best_candidate, ([torch.randn(3), torch.randn(3), torch.randn(3)],)


def case_sorted():
    return rank_losses, (torch.tensor(0.3), torch.tensor(0.1), torch.tensor(0.2))
