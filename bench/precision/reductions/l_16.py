# CA106 float() of a tensor in kornia/geometry/ransac.py: nth 1 (line 1282, `float(scores.max())`), nth 1 and nth 2
# (line 1296, `float(scores[0]) < float(raw[1][0])`), nth 1 (line 1479) and nth 1 (line 1480,
# `float(recovered_scores[winner])`): 0-d float scores of DEGENSAC's recovered models (degensac=True for
# fundamental matrices) read into Python floats, an implicit .item(): plain torch.compile breaks.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia


def f(scores, raw_scores):
    if float(scores[0]) < float(raw_scores[0]):
        return raw_scores * 2
    return scores * 2


check(f, torch.rand(3), torch.rand(1), mode="default")
