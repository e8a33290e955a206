# kornia/feature/matching.py CA111 nth 1 (lines 190, 191, 194, 195), match_mnn (DescriptorMatcher("mnn")):
# mutual_nns = minsize_idxs == idxs_in_1[idxs_in_2][:ms] is a bool Tensor; indexing the matches and distances with
# it gives a data-dependent length and plain torch.compile breaks (real match_mnn, both the B1 <= B2 branch and the
# B1 > B2 branch).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from kornia.feature import match_mnn


def f(d1, d2):
    return match_mnn(d1, d2), match_mnn(d2, d1)


check(f, torch.randn(12, 8), torch.randn(16, 8), mode="default")
