# kornia/feature/sold2/sold2_detector.py CA111 nth 1 (line 614, prob_to_junctions): prob is the (H, W) float
# junction heatmap of SOLD2_detector.forward; prob[prob >= prob_thresh] is a boolean-mask index with a
# data-dependent length, so plain torch.compile breaks at the line.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia


def f(prob, junctions, prob_thresh: float = 0.01):
    scores = prob[prob >= prob_thresh]
    return scores.sum() + junctions.sum()


check(f, torch.rand(32, 32), torch.rand(10, 2), 0.5, mode="default")
