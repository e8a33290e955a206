# kornia/feature/lightglue.py CA110 nth 1 (line 943), CA111 nth 1 (line 944) and CA111 nth 1 (line 949),
# LightGlue._forward output: valid = m0[k] > -1 is a bool Tensor from filter_matches; torch.where(valid)[0],
# m0[k][valid] and mscores0[k][valid] have a data-dependent length and break plain torch.compile (real
# filter_matches and log_assignment, lines 940-949 copied). They run on every forward; in the compiled forward they
# are the first break when early stopping and pruning are off (doghardnet, keynet_affnet_hardnet configs).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from kornia.feature import LightGlue
from kornia.feature.lightglue import filter_matches

lg = LightGlue(features=None, depth_confidence=-1, width_confidence=-1).eval()


def outputs(desc0, desc1):
    scores, _ = lg.log_assignment[-1](desc0, desc1)
    m0, m1, mscores0, mscores1 = filter_matches(scores, lg.conf.filter_threshold)
    matches, mscores = [], []
    for k in range(desc0.shape[0]):
        valid = m0[k] > -1
        m_indices_0 = torch.where(valid)[0]
        m_indices_1 = m0[k][valid]
        matches.append(torch.stack([m_indices_0, m_indices_1], -1))
        mscores.append(mscores0[k][valid])
    return matches, mscores


with torch.no_grad():
    check(outputs, torch.randn(1, 32, 256), torch.randn(1, 24, 256), mode="default")
