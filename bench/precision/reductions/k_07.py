# kornia/contrib/image_stitching.py CA102 nth 1 (line 175, ImageStitcher.postprocess, the last step of forward):
# index = int(mask_.bool().any(0).flip(0).long().argmax().item()) reads a Tensor into Python, then `if index == 0`
# and image[..., :-index] use it; plain torch.compile breaks at the .item() (real postprocess).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from torch import nn
from kornia.contrib import ImageStitcher

stitcher = ImageStitcher(nn.Identity(), estimator="vanilla")
mask = torch.ones(1, 3, 8, 16); mask[..., 12:] = 0
check(stitcher.postprocess, torch.rand(1, 3, 8, 16), mask, mode="default")
