# x_transformers/attend.py CA104 nth 1 (line 524, `if n == 1 and causal:`) and nth 1 (line 594,
# `if causal:`) in Attend.forward: n = q.shape[-2] is an int and causal = default(causal, self.causal)
# is a Python bool (Attention passes its bool/None `causal`), so both branches are static.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F


def exists(v):
    return v is not None


def default(v, d):
    return v if exists(v) else d


class Attend(torch.nn.Module):
    def __init__(self, causal=True):
        super().__init__()
        self.causal = causal

    def forward(self, q, k, v, causal=None):
        n = q.shape[-2]
        causal = default(causal, self.causal)
        if n == 1 and causal:
            causal = False
        sim = torch.einsum("b h i d, b h j d -> b h i j", q, k) * q.shape[-1] ** -0.5
        i, j = sim.shape[-2:]
        mask_value = -torch.finfo(sim.dtype).max
        if causal:
            causal_mask = torch.ones((i, j), dtype=torch.bool).triu(j - i + 1)
            sim = sim.masked_fill(causal_mask, mask_value)
        return F.softmax(sim, dim=-1) @ v


attend = Attend(causal=True)


def run(q, k, v, q1):
    return attend(q, k, v).sum() + attend(q1, k, v, causal=None).sum() + attend(q, k, v, causal=False).sum()


q = torch.randn(1, 2, 5, 8)
check(run, q, q.clone(), q.clone(), torch.randn(1, 2, 1, 8))
