# kornia/feature/lightglue.py CA104 nth 1 (line 888, LightGlue._forward): with the default depth_confidence=0.95
# (superpoint, disk, aliked, sift ... configs) every layer but the last runs
# `if self.check_if_stop(token0, token1, i, m + n): break`; check_if_stop returns a 0-dim bool Tensor
# ((ratio_confident > depth_confidence).all()), so the branch is on tensor data and fullgraph fails there
# (real LightGlue modules, loop body of lines 881-889 copied).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from kornia.feature import LightGlue

lg = LightGlue(features=None).eval()


def layers(desc0, desc1, m: int, n: int):
    for i in range(lg.conf.n_layers - 1):
        token0, token1 = lg.token_confidence[i](desc0, desc1)
        if lg.check_if_stop(token0, token1, i, m + n):
            break
        desc0, desc1 = desc0 * 1.01, desc1 * 1.01
    return desc0, desc1


with torch.no_grad():
    check(layers, torch.randn(1, 32, 256), torch.randn(1, 24, 256), 32, 24)
