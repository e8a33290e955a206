# kornia/geometry/subpix/spatial_soft_argmax.py CA110 nth 1 (line 963, conv_quad_interp3d) and nth 1 (line 1311,
# iterative_quad_interp3d): torch.where of the bool (B*C, D, H, W) NMS mask gives the maxima's indices, whose
# number depends on the data: plain torch.compile breaks. Both run in the forward of the sub-pixel refiners
# (AdaptiveQuadInterp3d, the ScaleSpaceDetector default, picks conv on CUDA and iterative on CPU; SIFT-style
# detectors use ConvQuadInterp3d), which ScaleSpaceDetector itself wraps in torch.compile with compile_modules.
# Shown with the real nms3d producing the mask, as in the library.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia
from kornia.geometry.subpix import nms3d


def f(input):
    B, C, D, H, W = input.shape
    nms_mask = nms3d(input, (3, 3, 3), True)
    bc_idx, d_idx, h_idx, w_idx = torch.where(nms_mask.reshape(B * C, D, H, W))
    return d_idx.float().sum() + h_idx.sum() + w_idx.sum() + bc_idx.sum()


check(f, torch.randn(1, 2, 5, 16, 16), mode="default")
