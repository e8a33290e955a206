# kornia/geometry/ransac.py CA110 nth 1 (line 845, _subset_refits: `inliers.nonzero().flatten()`), nth 1 (line 1149,
# _raw_record_setters: `(scores > earlier.clamp_min(prior)).nonzero()`) and nth 1 (line 1253, _degensac_recover:
# `(isfinite(..) & isfinite(..)).nonzero().flatten()`): each is .nonzero() of a (N,) bool tensor (inlier mask,
# record test, finite mask), whose length depends on the data: plain torch.compile breaks. 845 runs in the LO of
# _forward_dlt (affine / line-segment models) once a model has more than 32 inliers; 1149 and 1253 in DEGENSAC
# (degensac=True for fundamental matrices); a compiled RANSAC reports breaks at all three lines.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia


def f(mask, kp):
    indices = mask.nonzero().flatten()
    return kp[indices]


check(f, torch.rand(100) < 0.6, torch.rand(100, 2), mode="default")
