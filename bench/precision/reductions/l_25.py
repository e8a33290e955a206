# kornia/geometry/subpix/spatial_soft_argmax.py CA113 nth 1 (line 54, _warn_strict_maxima_bonus): the
# DeprecationWarning for the ignored `strict_maxima_bonus` argument. The refiner modules warn in __init__ (eager)
# and their forward never passes the argument on, so compiled forwards (ScaleSpaceDetector's subpix, SIFT) never
# reach the warning; only a direct call of conv_quad_interp3d / iterative_quad_interp3d that passes the deprecated
# argument does. Counted here: calls of the warning helper during the forwards of all three refiners.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia
import warnings
import kornia.geometry.subpix.spatial_soft_argmax as ssa

calls = {"n": 0}
_orig = ssa._warn_strict_maxima_bonus


def counting():
    calls["n"] += 1


ssa._warn_strict_maxima_bonus = counting
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    mods = [ssa.ConvQuadInterp3d(strict_maxima_bonus=10.0), ssa.IterativeQuadInterp3d(strict_maxima_bonus=10.0),
            ssa.AdaptiveQuadInterp3d(strict_maxima_bonus=10.0), ssa.AdaptiveQuadInterp3d(mode="conv")]
at_init = calls["n"]
x = torch.randn(1, 1, 5, 16, 16)
for m in mods:
    m(x)
in_forward = calls["n"] - at_init
claim(in_forward > 0, f"warning helper calls: {at_init} in __init__, {in_forward} in forward")
