# kornia/feature/sift/scale_space.py CA110 nth 1 (line 442, _SIFTScaleSpaceDetector._octave, run for every octave
# by the pyramid backend of SIFTFeatureScaleSpace): candidates = candidate_mask.nonzero() on the bool map of
# spatial extrema has a data-dependent size; plain torch.compile breaks there (real _octave).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from kornia.feature.sift.scale_space import _SIFTScaleSpaceDetector, _SIFTScalePyramid

torch.manual_seed(0)
det = _SIFTScaleSpaceDetector(100, _SIFTScalePyramid())
gaussian = det.scale_pyr(torch.rand(1, 1, 48, 48))[0]
check(det._octave, gaussian, 0, None, mode="default")
