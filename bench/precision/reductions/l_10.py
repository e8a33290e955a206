# kornia/geometry/ransac.py CA103 nth 1 (line 164, _normalize_correspondences): RANSAC._forward_lm (the default
# path for homographies and fundamental matrices) calls it with the float64 host keypoints; `scales` is a float64
# (2,) tensor, and .tolist() of a floating tensor fails under fullgraph=True. Shown with the real function (a
# compiled RANSAC() on torch 2.13 also reports a break at this line).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia
from kornia.geometry.ransac import _normalize_correspondences

kp1, kp2 = torch.rand(50, 2, dtype=torch.float64) * 100, torch.rand(50, 2, dtype=torch.float64) * 100
check(_normalize_correspondences, kp1, kp2, False)
