# kornia/geometry/subpix/spatial_soft_argmax.py CA111 nth 1 (lines 987, 988, 989, 990, conv_quad_interp3d):
# `bc_u = bc_dil[keep]` etc., int64 dilated NMS coordinates indexed by the bool interior mask `keep` (a chain of
# comparisons): the result's length depends on the data, so plain torch.compile breaks (the library's own comment
# says so). Runs in ConvQuadInterp3d / AdaptiveQuadInterp3d(mode conv or CUDA) forward.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia


def f(d_idx, h_idx, w_idx, bc_idx, D: int, H: int, W: int):
    offs = torch.arange(-1, 2, dtype=torch.long)
    od, oh, ow = (t.reshape(-1) for t in torch.meshgrid(offs, offs, offs, indexing="ij"))
    K = od.shape[0]
    d_dil = (d_idx.unsqueeze(1) + od.unsqueeze(0)).reshape(-1)
    h_dil = (h_idx.unsqueeze(1) + oh.unsqueeze(0)).reshape(-1)
    w_dil = (w_idx.unsqueeze(1) + ow.unsqueeze(0)).reshape(-1)
    bc_dil = bc_idx.unsqueeze(1).expand(-1, K).reshape(-1)
    keep = (d_dil >= 1) & (d_dil <= D - 2) & (h_dil >= 1) & (h_dil <= H - 2) & (w_dil >= 1) & (w_dil <= W - 2)
    bc_u = bc_dil[keep]
    return bc_u.sum()


n = 12
check(f, torch.randint(0, 5, (n,)), torch.randint(0, 16, (n,)), torch.randint(0, 16, (n,)), torch.randint(0, 2, (n,)),
      5, 16, 16, mode="default")
