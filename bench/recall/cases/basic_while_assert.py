"""A `while` loop on a tensor condition and an `assert` on tensor values."""

import torch


def power_iteration(w, v, tol):
    err = torch.tensor(1.0)
    while err > tol:
        nv = w @ v
        nv = nv / nv.norm()
        err = (nv - v).abs().max()
        v = nv
    return v


def checked_softmax(x):
    assert (x < 1e4).all(), "logits overflow"
    return torch.softmax(x, dim=-1)


compiled_power = torch.compile(power_iteration)
compiled_softmax = torch.compile(checked_softmax)


def case_while_tensor():
    w = torch.tensor([[2.0, 0.0], [0.0, 1.0]])
    return power_iteration, (w, torch.tensor([1.0, 1.0]), 1e-3)


def case_assert_tensor():
    return checked_softmax, (torch.randn(2, 4),)
