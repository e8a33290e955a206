# kornia/geometry/transform/crop2d.py CA102 nth 1 (line 574) and nth 1 / nth 2 (line 579), crop_by_indices with
# its default size=None (the kornia-internal callers pass a size, but the public function's default does not;
# the docstring itself says this path "breaks the graph under torch.compile"): h, w are the int64 (B,) box
# heights and widths from infer_bbox_shape; `(...).any().item()` and `int(h[0].item())` break plain
# torch.compile. Shown with the real infer_bbox_shape and the flagged lines.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
# kornia_rs (kornia's Rust image I/O) is not installed here and is not used by this code: stub it so kornia imports.
_rs = sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); _rs.io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / ".corpus" / "precision" / "kornia"))
import torch
import kornia
from kornia.geometry.bbox import infer_bbox_shape


def f(x, src_box):
    B = x.shape[0]
    src = torch.as_tensor(src_box, dtype=torch.long)
    h, w = infer_bbox_shape(src)
    if B > 0 and ((h != h[0]).any() | (w != w[0]).any()).item():
        raise ValueError("All boxes in the batch must have the same height and width")
    size = (int(h[0].item()), int(w[0].item())) if B > 0 else (0, 0)
    return x.new_zeros(B, x.shape[1], *size)


box = torch.tensor([[[1, 1], [8, 1], [8, 6], [1, 6]], [[2, 3], [9, 3], [9, 8], [2, 8]]])
check(f, torch.rand(2, 3, 16, 16), box, mode="default")
