# kornia/filters/gaussian.py CA107 nth 1 (line 208): the f-string of sigma is inside `if not is_compiling():` and
# only built when the check fails; kornia's is_compiling() is True under torch.compile, so it is never traced: the
# real gaussian_blur2d (float and tensor sigma) compiles under fullgraph=True.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia
from kornia.filters import gaussian_blur2d


def f(x, sigma_t):
    return gaussian_blur2d(x, (5, 5), (1.5, 1.5)) + gaussian_blur2d(x, (5, 5), sigma_t)


check(f, torch.rand(2, 3, 16, 16), torch.tensor([[1.0, 1.0], [2.0, 2.0]]))
