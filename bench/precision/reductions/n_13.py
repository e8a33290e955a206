# kornia/core/utils.py CA120 nth 1 (line 742, `sys._getframe(1)`) and CA113 nth 1 (line 745, `warnings.warn(...)`),
# both in _warn_at_caller. Its only caller reached from compiled code is NaFlex._token_grid (NaFlex.forward, for a
# (B, N, C) patch output without patch_size), and the call sits under `if not is_compiling() and abs(height - width)
# * side >= max(height, width):` (kornia.core.utils.is_compiling wraps torch.compiler.is_compiling), so under
# torch.compile the `and` short-circuits and _warn_at_caller never runs (its other caller is the eager ONNX-merge
# check). The real NaFlex.forward on exactly the input that warns eagerly (128 x 512 image, square 16 x 16 grid, no
# patch_size) compiles whole under fullgraph=True.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
import warnings
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
from kornia.models.processors.naflex import NaFlex


def patch_fcn(x):  # a patch embedding returning (B, N, C): 256 patches for any image size
    return torch.nn.functional.adaptive_avg_pool2d(x, (16, 16)).flatten(2).transpose(1, 2).repeat(1, 1, 8)


model = NaFlex(patch_fcn, torch.randn(196, 24))  # a 14 x 14 table, resized to 16 x 16
image = torch.randn(1, 3, 128, 512)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    model(image)
print("eager warns:", [str(w.message)[:60] for w in caught])
check(model, image)
