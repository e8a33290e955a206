# kornia/feature/sift/scale_space.py CA104 nth 1 (line 369, _SIFTScaleSpaceDetector._refine): the sparse DoG fit
# on CPU (and for half dtypes on CUDA; float CUDA takes _refine_cuda) loops `if not alive.any(): break` on the
# bool Tensor of live candidates. SIFTFeatureScaleSpace(descriptor_backend="pyramid", compile_modules=["subpix"])
# itself wraps this method in torch.compile; the branch is on tensor data and fullgraph fails at it (real method,
# candidates taken from the real detector's _octave in eager).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from kornia.feature.sift.scale_space import _SIFTScaleSpaceDetector, _SIFTScalePyramid

torch.manual_seed(0)
det = _SIFTScaleSpaceDetector(100, _SIFTScalePyramid())
gaussian = det.scale_pyr(torch.rand(1, 1, 48, 48))[0]
dog = (gaussian[:, 0, 1:] - gaussian[:, 0, :-1]).contiguous()
s = torch.tensor([1, 2, 3]); y = torch.tensor([20, 30, 40]); x = torch.tensor([25, 33, 41]); b = torch.zeros(3, dtype=torch.long)
check(det._refine, dog, b, s, y, x)
