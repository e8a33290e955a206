# kornia/geometry/subpix/spatial_soft_argmax.py CA111 nth 1 (line 1336, iterative_quad_interp3d with
# max_candidates): `keep = grouped[rank < max_candidates]`, int64 candidate order indexed by a bool comparison of
# the per-image rank tensor with the Python int cap: data-dependent length, plain torch.compile breaks.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia


def f(grouped, rank, max_candidates: int):
    keep = grouped[rank < max_candidates]
    return keep.sum()


check(f, torch.randperm(40), torch.cat([torch.arange(25), torch.arange(15)]), 10, mode="default")
