# kornia/feature/lightglue.py CA110 nth 1 (line 894) and nth 1 (line 902), LightGlue._forward point pruning
# (default width_confidence=0.99, or 0.95 for xfeat; on CPU pruning_min_kpts is -1, so it runs at every layer):
# keep0 = torch.where(prunemask0)[1] on the bool prune mask has a data-dependent length and breaks plain
# torch.compile (real LightGlue modules, lines 891-897 copied). With early stopping on it is the check_if_stop
# branch just before that breaks first and makes Dynamo run the loop's frame eagerly; with depth_confidence=-1
# (xfeat) this line is where the compiled forward breaks.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from kornia.feature import LightGlue

lg = LightGlue(features=None, depth_confidence=-1).eval()


def prune(desc0, token0, ind0, encoding0, i: int = 0):
    scores0 = lg.log_assignment[i].get_matchability(desc0)
    prunemask0 = lg.get_pruning_mask(token0, scores0, i)
    keep0 = torch.where(prunemask0)[1]
    ind0 = ind0.index_select(1, keep0)
    desc0 = desc0.index_select(1, keep0)
    encoding0 = encoding0.index_select(-2, keep0)
    return ind0, desc0, encoding0


with torch.no_grad():
    check(prune, torch.randn(1, 32, 256), None, torch.arange(32)[None], torch.randn(2, 1, 1, 32, 64), mode="default")
