# CA111 boolean-mask indexing in kornia/geometry/ransac.py: nth 1 (line 1268, `rows[off_plane]`, int64 rows by the
# bool off-plane mask, DEGENSAC) and nth 1 (line 1485, `candidates.to(host).double()[candidate_scores.to(host) >= 0]`,
# the (K, 3, 3) model pool by a score comparison, default _forward_lm path). The result's length depends on the
# data: plain torch.compile breaks.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia


def f(candidates, candidate_scores):
    host = torch.device("cpu")
    candidates = candidates.to(host).double()[candidate_scores.to(host) >= 0]
    return candidates.sum(0)


check(f, torch.rand(8, 3, 3), torch.randn(8), mode="default")
