# kornia/feature/lightglue.py CA111 nth 1 (line 944) and nth 1 (line 949), LightGlue._forward output:
# m0[k][valid] and mscores0[k][valid] index with the bool Tensor valid = m0[k] > -1 from filter_matches; the
# result length is data-dependent and plain torch.compile breaks at the indexing (real filter_matches; the two
# lines alone, without the torch.where of line 943, which k_16.py shows breaking first).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from kornia.feature import LightGlue
from kornia.feature.lightglue import filter_matches

lg = LightGlue(features=None, depth_confidence=-1, width_confidence=-1).eval()


def outputs(desc0, desc1, k: int = 0):
    scores, _ = lg.log_assignment[-1](desc0, desc1)
    m0, m1, mscores0, mscores1 = filter_matches(scores, lg.conf.filter_threshold)
    valid = m0[k] > -1
    m_indices_1 = m0[k][valid]
    return m_indices_1, mscores0[k][valid]


with torch.no_grad():
    check(outputs, torch.randn(1, 32, 256), torch.randn(1, 24, 256), mode="default")
