# kornia/feature/integrated.py CA110 nth 1 (line 1092, LightGlueMatcher.forward): matches0 is LightGlue's int64
# (1, N) match index Tensor; torch.where(valid) with one argument is nonzero and has a data-dependent size: plain
# torch.compile breaks (GB0036).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def tail(matches0, mscores0):
    valid = matches0 > -1
    matches = torch.stack([torch.where(valid)[1], matches0[valid]], -1)
    return mscores0[valid].reshape(-1, 1), matches


check(tail, torch.tensor([[2, -1, 0, 1]]), torch.rand(1, 4), mode="default")
