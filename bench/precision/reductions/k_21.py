# kornia/feature/matching.py CA111 nth 1 (line 285) and nth 1 and 2 (line 286), match_smnn
# (DescriptorMatcher("smnn")): mutual = (reverse_positions >= 0) & (...) is a bool Tensor; idx1[mutual],
# dists1[mutual] and reverse_positions[mutual] have data-dependent lengths and plain torch.compile breaks
# (real match_smnn; th=1.0 so that both snn passes keep matches and the mutual branch runs).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from kornia.feature import match_smnn

check(match_smnn, torch.randn(12, 8), torch.randn(16, 8), 1.0, mode="default")
