# kornia/feature/matching.py CA111 nth 1 (lines 232, 235, 236), match_snn (DescriptorMatcher's default "snn" mode,
# also called by match_smnn): mask = ratio <= th is a bool Tensor; ratio[mask], arange(...)[mask] and
# idxs_in_2[:, 0][mask] have data-dependent lengths and plain torch.compile breaks (real DescriptorMatcher).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from kornia.feature import DescriptorMatcher

check(DescriptorMatcher("snn", 0.8), torch.randn(12, 8), torch.randn(16, 8), mode="default")
