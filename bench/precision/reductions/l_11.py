# kornia/geometry/ransac.py CA102 nth 1 (line 656, RANSAC._prosac_max_samples): reached with the documented
# constructor option prosac_sampling=True (from _forward_dlt and _lm_stopping_bound) each time a new best model
# is found; `candidate` is a float64 0-d tensor and int(candidate.item()) breaks plain torch.compile. Shown with
# the real method on a real RANSAC(prosac_sampling=True).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia
from kornia.geometry.ransac import RANSAC

r = RANSAC("homography", prosac_sampling=True, max_iter=2)
inliers = torch.rand(300) < 0.7
check(r._prosac_max_samples, inliers, int(inliers.sum()), mode="default")
