# kornia/geometry/subpix/spatial_soft_argmax.py CA110 nth 1 (line 1333, iterative_quad_interp3d with
# max_candidates set, the documented CPU speed-up knob of IterativeQuadInterp3d / AdaptiveQuadInterp3d, run in
# their forward when there are more maxima than the cap): `counts = torch.bincount(bc_idx, minlength=B * C)` of
# the int64 image index of each maximum. bincount's length is max(bc_idx) + 1 or minlength, known only from the
# data: plain torch.compile breaks.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia


def f(bc_idx, BC: int):
    counts = torch.bincount(bc_idx, minlength=BC)
    return torch.cumsum(counts, 0) - counts


check(f, torch.randint(0, 2, (40,)), 2, mode="default")
