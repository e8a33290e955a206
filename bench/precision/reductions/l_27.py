# kornia/models/processors/__init__.py CA103 nth 1 (line 152, ResizePostProcessor.forward): `size` is a row of the
# int64 (B, 2) original_sizes that ResizePreProcessor returns; EdgeDetector (a ModelBase, whose .compile() wraps
# the whole model in torch.compile) runs this post-processor in its forward. `.cpu().long().numpy().tolist()`
# reads the sizes into Python: plain torch.compile breaks at the line. Shown with the real module.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia
from kornia.models.processors import ResizePostProcessor, ResizePreProcessor

pre, post = ResizePreProcessor(32, 32), ResizePostProcessor()


def f(images):
    x, sizes = pre(images)
    return post(x, sizes)


check(f, torch.rand(2, 3, 48, 40), mode="default")
