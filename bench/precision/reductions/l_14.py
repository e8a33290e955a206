# CA103 on integer tensors (a "default" rule): kornia/geometry/ransac.py nth 1 (line 1149, _raw_record_setters:
# `.nonzero().flatten().tolist()`, int64 indices) and nth 1 (line 1356, _degensac_batch:
# `samples[records[0]].tolist()`, int64 sample indices), and kornia/geometry/transform/crop2d.py nth 1 (line 548,
# crop_by_indices: `torch.stack([x1, x2, y1, y2]).tolist()` of int64 box coordinates). .tolist() of an int64
# tensor breaks plain torch.compile (GB0033).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia


def f(idx):
    values = idx.tolist()
    return torch.tensor(values) * 2


check(f, torch.tensor([3, 1, 4, 1, 5], dtype=torch.long), mode="default")
