# kornia/feature/sift/scale_space.py CA104 nth 1 (line 758, _SIFTScaleSpaceDescriptor.forward, the descriptor of
# SIFTFeatureScaleSpace(descriptor_backend="pyramid")): `if not octave_selected.any(): continue` per octave, where
# octave_selected = valid & (octave_indices == octave) is a bool Tensor; the branch is on tensor data and fullgraph
# fails there (real descriptor on the real detector's eager outputs).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from kornia.feature.sift.scale_space import _SIFTScaleSpaceDetector, _SIFTScalePyramid, _SIFTScaleSpaceDescriptor

torch.manual_seed(0)
det = _SIFTScaleSpaceDetector(20, _SIFTScalePyramid())
_, lafs, _, pyramid, octaves, levels = det._detect_with_pyramid(torch.rand(1, 1, 64, 64), 20)
desc = _SIFTScaleSpaceDescriptor()
check(desc, pyramid, lafs, octaves, levels)
