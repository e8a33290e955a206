# kornia/contrib/distance_transform.py CA106 nth 1 (line 173, 2-D) and nth 2 (line 211, 3-D):
# `if i + 1 in stop_checks and not bool(mask.any())`. stop_checks is `()` whenever _can_stop_cascade(image) is
# False, and it returns False under is_compiling(), so under torch.compile `i + 1 in ()` is False and bool() is
# never reached: the real distance_transform compiles in plain torch.compile without a break (shown here, 2-D and 3-D).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from kornia.contrib import distance_transform


def f(img2d, img3d):
    return distance_transform(img2d), distance_transform(img3d)


img2d = torch.zeros(1, 1, 40, 40); img2d[..., 5, 5] = 1
img3d = torch.zeros(1, 1, 12, 12, 12); img3d[..., 3, 3, 3] = 1
check(f, img2d, img3d, mode="default")
