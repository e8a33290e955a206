# kornia/contrib/extract_patches.py CA113 nth 2 (line 640, extract_tensor_patches): warn(...) when the window/stride
# do not tile the image and no (auto) padding is asked for (k_33.py shows the same for combine_tensor_patches).
# The Convention block documents this configuration ("a window that does not fit warns and drops the last rows or
# columns"), so the warning is issued on every forward of ExtractTensorPatches / CombineTensorPatches built that way;
# Dynamo 2.13 cannot trace warnings.warn and fullgraph fails at it (shown with the real modules).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from kornia.contrib import ExtractTensorPatches

extract = ExtractTensorPatches(window_size=4, stride=4)
check(extract, torch.randn(1, 1, 10, 10))
