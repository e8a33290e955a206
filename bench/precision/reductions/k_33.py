# kornia/contrib/extract_patches.py CA113 nth 1 (line 449, combine_tensor_patches): warn(...) when the window/stride
# do not tile original_size and neither unpadding nor allow_auto_unpadding is given, a configuration the Convention
# block documents ("a pixel that no patch covers is 0"); every forward of such a CombineTensorPatches issues it, and
# Dynamo 2.13 cannot trace warnings.warn, so fullgraph fails at it (real module).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from kornia.contrib import CombineTensorPatches

combine = CombineTensorPatches(original_size=(10, 10), window_size=4, stride=4)
check(combine, torch.randn(1, 4, 1, 4, 4))
