# kornia/feature/sift/scale_space.py CA110 nth 1 (line 760) and nth 1 (line 767), _SIFTScaleSpaceDescriptor.forward:
# used_levels = torch.unique(level_indices[octave_selected], sorted=True) and
# indices = octave_selected[batch].nonzero().flatten() on the bool octave-selection mask have data-dependent sizes;
# plain torch.compile breaks at both (lines 756-767 copied without the .any() branch of line 758, k_31.py, so that
# the frame is not skipped before them; inputs from the real detector in eager).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from kornia.feature.laf import laf_is_valid
from kornia.feature.sift.scale_space import _SIFTScaleSpaceDetector, _SIFTScalePyramid

torch.manual_seed(0)
det = _SIFTScaleSpaceDetector(20, _SIFTScalePyramid())
_, lafs, _, pyramid, octaves, levels = det._detect_with_pyramid(torch.rand(1, 1, 64, 64), 20)


def select(lafs, octave_indices, level_indices, octave: int = 0, batch: int = 0):
    valid = laf_is_valid(lafs)
    octave_selected = valid & (octave_indices == octave)
    used_levels = torch.unique(level_indices[octave_selected], sorted=True)
    indices = octave_selected[batch].nonzero().flatten()
    return used_levels, indices


check(select, lafs, octaves, levels, mode="default")
