# CA106 int() of a tensor in kornia/geometry/ransac.py: nth 1 (line 1259, `int((errors < 3 * threshold).sum())`),
# nth 1 and nth 2 (line 1266, `int(plane.sum())`, `int(off_plane.sum())`), nth 1 (line 1284, `int(scores.argmax())`),
# nth 1 (line 1478, `int(recovered_scores.argmax())`), nth 1 (line 1482, `int(recovered_counts[winner])`), nth 2
# (line 1495, `int(scores.argmax())`), nth 1 (line 1504, `int(refined_inliers.sum())`), nth 1 (line 1522,
# `int(mask.sum())`). Each converts a 0-d tensor reduction of a CPU float64 / bool tensor to a Python int, an
# implicit .item(): plain torch.compile breaks. 1495, 1504, 1522 are on the default _forward_lm path; the others
# in DEGENSAC (degensac=True for fundamental matrices).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia


def f(errors, scores, threshold: float):
    n = int((errors < 3 * threshold).sum())
    best = int(scores.argmax())
    return errors[:, :1] * n + best


check(f, torch.rand(50, 1, dtype=torch.float64), torch.rand(9, dtype=torch.float64), 0.1, mode="default")
