# kornia/losses/mutual_information.py CA104 nth 1 (line 279, EntropyBasedLossBase.trace_in_ref_mask): called by
# the MI / NMI losses' forward whenever a roi mask is given (the documented other_mask / mask arguments);
# kornia writes these losses to be captured (its comments avoid data-dependent guards "that break fullgraph
# capture" on the no-mask path). `if other_mask.all():` branches on the (N,) bool mask: fullgraph=True fails at
# the line. Shown with the real method of a real MILossFromRef.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia
from kornia.losses import MILossFromRef

ref_mask = torch.rand(64) > 0.2
loss = MILossFromRef(torch.rand(2, 64), ref_mask)
other_mask = torch.rand(64) > 0.2
other_signal = torch.rand(2, int(other_mask.sum()))
check(loss.trace_in_ref_mask, other_signal, other_mask)
