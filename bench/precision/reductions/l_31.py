# kornia/losses/mutual_information.py CA106 nth 1 (line 138, _mask_is_full): `bool(mask.reshape(()))` is only
# reached for a one-element mask (`if mask.numel() != 1: return False` comes first); the masks of the MI losses
# are (N,) / (H, W) roi masks of a whole signal, and the call in __init__ is eager. With a real roi mask the
# function returns before the bool(): compiling the real _mask_is_full on one gives no graph break.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia
from kornia.losses.mutual_information import _mask_is_full

roi = torch.rand(256) > 0.3
check(lambda m: torch.tensor(1.0) if _mask_is_full(m) else torch.tensor(0.0), roi, mode="default")
