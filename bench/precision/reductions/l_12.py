# kornia/geometry/ransac.py CA102 nth 1 (line 761) and nth 1 (line 762), RANSAC.verify: called every batch by
# _forward_dlt, the path of model_type="affine" and "homography_from_linesegments" (their only local
# optimization) and of local_optimization="dlt". score / score_ransac are (M,) tensors indexed by a 0-d argmax,
# and .item() of each breaks plain torch.compile. Shown with the real verify of RANSAC("affine").
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia
from kornia.geometry.ransac import RANSAC

r = RANSAC("affine")
kp1 = torch.rand(40, 2) * 100
kp2 = kp1 + 2.0
models = torch.eye(3).repeat(8, 1, 1)
models[:, 0, 2] = torch.linspace(0, 4, 8)
check(r.verify, kp1, kp2, models, r.inl_th ** 2, mode="default")
