"""torch.linalg.lstsq in a compiled solver (closed-form linear probe)."""

import torch


def fit_probe(feats, targets):
    sol = torch.linalg.lstsq(feats, targets).solution
    return feats @ sol


compiled_fit = torch.compile(fit_probe)


def case_lstsq():
    return fit_probe, (torch.randn(10, 4), torch.randn(10, 2))
