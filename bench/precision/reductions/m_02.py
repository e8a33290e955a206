# monai/networks/layers/conjugate_gradient.py CA104 nth 1 (line 110, ConjugateGradient.forward): rsold is
# the 0-d Tensor returned by _zdot_single (torch.sum(r * r)); `if rsold < 1e-10: break` is data-dependent
# branching and fails fullgraph=True.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from torch import nn


def _zdot(x1, x2):
    if torch.is_complex(x1):
        return torch.sum(x1.conj() * x2)
    return torch.sum(x1 * x2)


def _zdot_single(x):
    res = _zdot(x, x)
    return res.real if torch.is_complex(res) else res


class ConjugateGradient(nn.Module):
    def __init__(self, linear_op, num_iter):
        super().__init__()
        self.linear_op = linear_op
        self.num_iter = num_iter

    def update(self, x, p, r, rsold):
        dy = self.linear_op(p)
        p_dot_dy = _zdot(p, dy)
        alpha = rsold / p_dot_dy
        x = x + alpha * p
        r = r - alpha * dy
        rsnew = _zdot_single(r)
        beta = rsnew / rsold
        rsold = rsnew
        p = beta * p + r
        return x, p, r, rsold

    def forward(self, x, y):
        r = y - self.linear_op(x)
        rsold = _zdot_single(r)
        p = r
        for _i in range(self.num_iter):
            x, p, r, rsold = self.update(x, p, r, rsold)
            if rsold < 1e-10:
                break
        return x


A = torch.randn(6, 6)
A = A @ A.T + 6 * torch.eye(6)
cg = ConjugateGradient(lambda v: A @ v, num_iter=4)
check(cg, torch.zeros(6), torch.randn(6))
