# kornia/filters/bilateral.py CA107 nth 1 (line 242, _bilateral_blur): the f-string of the sigma_color tensor is
# only built inside `if not is_compiling() and ...`; kornia's is_compiling() is True under torch.compile, so the
# message is never traced: the real bilateral_blur with a tensor sigma_color compiles under fullgraph=True.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia
from kornia.filters import bilateral_blur

x = torch.rand(2, 3, 16, 16)
check(bilateral_blur, x, (5, 5), torch.tensor([0.1, 0.2]), torch.tensor([[1.5, 1.5], [2.0, 2.0]]))
