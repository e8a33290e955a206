# kornia/filters/blur.py CA102 nth 1 and nth 2 (line 77, _needs_convolution_for_extreme_cpu_values): the two
# .item() calls follow `if ... or is_compiling() ...: return False`; kornia's is_compiling() is True under
# torch.compile, so they are never traced: the real box_blur on a CPU float input compiles without a graph break.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia
from kornia.filters import box_blur

check(box_blur, torch.rand(2, 3, 16, 16), (3, 3), mode="default")
