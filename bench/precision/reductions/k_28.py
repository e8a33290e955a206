# kornia/feature/sift/scale_space.py CA104 nth 1 (line 404, _SIFTScaleSpaceDetector._refine, CPU path): the end of
# each Newton step, `if not move.any(): break`, where move = alive & (|shift| >= 0.5) is a bool Tensor of the
# candidates still moving; branching on it fails fullgraph (lines 398-405 copied; in the real method the
# alive.any() branch at line 369, k_27.py, fails first).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch


def steps(sx, sy, ss, alive, x, y, s):
    for _ in range(5):
        move = alive & ((sx.abs() >= 0.5) | (sy.abs() >= 0.5) | (ss.abs() >= 0.5))
        x = x + torch.where(move, sx.round().long(), torch.zeros_like(x))
        y = y + torch.where(move, sy.round().long(), torch.zeros_like(y))
        s = s + torch.where(move, ss.round().long(), torch.zeros_like(s))
        if not move.any():
            break
        sx, sy, ss = sx * 0.5, sy * 0.5, ss * 0.5
    return x, y, s


check(steps, torch.randn(4), torch.randn(4), torch.randn(4), torch.ones(4, dtype=torch.bool),
      torch.full((4,), 20), torch.full((4,), 20), torch.full((4,), 2))
