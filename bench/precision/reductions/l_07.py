# kornia/filters/canny.py CA104 nth 1 (line 301, canny): with the default hysteresis=True and no export or
# torch.jit.trace, canny runs `while ((edges_old - edges).abs() != 0).any():` on the float edge map; kornia's
# is_exporting() is False under torch.compile on torch 2.13, so this loop is what compile traces and the
# condition is data-dependent: the real kornia.filters.canny fails under fullgraph=True.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia
from kornia.filters import canny

check(canny, torch.rand(1, 1, 32, 32))
