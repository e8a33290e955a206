# kornia/geometry/ransac.py CA103 nth 1 (line 1451, _forward_lm, default path): `scores, counts =
# torch.stack([top_scores, top_counts.to(top_scores.dtype)]).tolist()`: top_scores are float (topk of the MSAC
# scores), so this is .tolist() of a floating tensor, which fails under fullgraph=True.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia


def f(scores_all, counts_all):
    top_scores, top = scores_all.topk(8)
    top_counts = counts_all[top]
    scores, counts = torch.stack([top_scores, top_counts.to(top_scores.dtype)]).tolist()
    return scores_all * scores[0]


check(f, torch.rand(64), torch.randint(0, 50, (64,)).float())
