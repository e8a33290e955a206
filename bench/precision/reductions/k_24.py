# kornia/feature/scale_space_detector.py CA102 nth 1 (line 617, ScaleSpaceDetector._detect):
# num_levels = int(self.scale_pyr.n_levels.item()) runs only when n_levels is a Tensor; the detector's default
# ScalePyramid (and every kornia pyramid) stores n_levels as a Python int, so the isinstance check is static and
# the int branch is taken: lines 616-624 with the real default ScalePyramid compile in plain torch.compile (the
# whole detector in k_23.py shows no break at line 617 either).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from kornia.feature import ScaleSpaceDetector

det = ScaleSpaceDetector(num_features=50)


def levels(img):
    sp, sigmas, _ = det.scale_pyr(img)
    if isinstance(det.scale_pyr.n_levels, torch.Tensor):
        num_levels = int(det.scale_pyr.n_levels.item())
    elif isinstance(det.scale_pyr.n_levels, int):
        num_levels = det.scale_pyr.n_levels
    else:
        raise TypeError("n_levels")
    return sp[0] * num_levels


check(levels, torch.rand(1, 1, 64, 64), mode="default")
