# kornia/feature/sift/pyramid.py CA110 nth 1 (line 259, _orientation) and nth 2 (line 384, _descriptors), in
# SIFTDescriptorFromPyramid.orient_and_describe (forward runs _descriptors, upright=False also _orientation):
# selected = (levels[batch_index] == level_index).nonzero().flatten() on the bool octave-selection mask has a
# data-dependent length; plain torch.compile breaks at both (real module, orient_and_describe).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from kornia.feature import laf_from_center_scale_ori
from kornia.feature.sift.pyramid import SIFTDescriptorFromPyramid

desc = SIFTDescriptorFromPyramid()
lafs = laf_from_center_scale_ori(torch.tensor([[[20.0, 20.0], [40.0, 30.0], [30.0, 45.0]]]),
                                 torch.tensor([[[[8.0]], [[20.0]], [[8.0]]]]), torch.zeros(1, 3, 1))
check(desc.orient_and_describe, torch.rand(1, 1, 64, 64), lafs, mode="default")
