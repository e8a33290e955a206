# kornia/feature/lightglue.py CA102 nth 1 and 2 (line 470, _check_keypoints_normalized, called twice in every
# LightGlue._forward): KORNIA_CHECK(torch.all(kpts >= -1).item() and torch.all(kpts <= 1).item(), ...) is guarded
# only by `if not is_exporting()`, which is False under torch.compile on torch >= 2.12 (kornia's own docstring of
# is_exporting says so), so .item() runs in the trace and plain torch.compile breaks there (real function).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from kornia.feature.lightglue import _check_keypoints_normalized, normalize_keypoints


def f(kpts, size):
    kpts = normalize_keypoints(kpts, size).clone()
    _check_keypoints_normalized(kpts)
    return kpts


check(f, torch.rand(1, 32, 2) * 60, torch.tensor([[64, 64]]), mode="default")
