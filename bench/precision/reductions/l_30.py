# kornia/losses/hausdorff.py CA104 nth 1 (line 120, _HausdorffERLossBase.forward): the range check `if not
# is_compiling() and not (target.max() < pred.size(1) and target.min() >= 0)` short-circuits under
# torch.compile, since kornia's is_compiling() is True there, so the tensor condition is never traced: the real
# HausdorffERLoss compiles under fullgraph=True. (It is also a loss, not part of a compiled model forward.)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia
from kornia.losses import HausdorffERLoss

loss = HausdorffERLoss()
pred = torch.rand(2, 3, 16, 16)
target = torch.randint(0, 3, (2, 1, 16, 16))
check(loss, pred, target)
