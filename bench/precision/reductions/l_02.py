# kornia/feature/sold2/sold2_detector.py CA110 nth 1 (line 606, prob_to_junctions): SOLD2_detector.forward passes
# each (H, W) float junction heatmap; torch.where(prob >= prob_thresh) has a data-dependent length, so plain
# torch.compile breaks at the line (the flagged line alone, as in the library).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia


def f(prob, prob_thresh: float = 0.01):
    junctions = torch.stack(torch.where(prob >= prob_thresh), -1).float()
    return junctions * 2


check(f, torch.rand(32, 32), 0.5, mode="default")
