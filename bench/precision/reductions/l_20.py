# kornia/geometry/ransac.py CA104 nth 1 (line 1496, _forward_lm, default path): `if scores[best] < 0:`, scores the
# (K,) float64 MSAC scores of the refined candidates and best a Python int: branching on a tensor value fails
# under fullgraph=True.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia


def f(scores, candidates, best: int):
    if scores[best] < 0:
        return candidates[0] * 0
    return candidates[best]


check(f, torch.rand(16, dtype=torch.float64), torch.rand(16, 3, 3, dtype=torch.float64), 3)
