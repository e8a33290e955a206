# kornia/feature/sift/pyramid.py CA103 nth 1 (line 219, SIFTDescriptorFromPyramid._level_occupancy, called by
# every forward / orient_and_describe): occupancy is an int64 Tensor (scatter_add_ of per-LAF octave counts);
# occupancy.tolist() reads it into Python (then max(...) and `if not level_used[i]` branch on it), and plain
# torch.compile breaks at the .tolist() of an integer tensor (real static method).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from kornia.feature.sift.pyramid import SIFTDescriptorFromPyramid


def f(levels):
    return SIFTDescriptorFromPyramid._level_occupancy(levels, 4)


check(f, torch.tensor([[0, 1, 1, -1, 2]]), mode="default")
