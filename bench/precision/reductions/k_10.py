# kornia/feature/aliked/aliked.py CA102 nth 1 (line 279) and nth 1 (line 280), DKD.forward: when ALIKED.forward
# gets the documented image_size (valid (W, H) per image of a padded batch, a (B, 2) Tensor), the loop does
# iw, ih = image_size[i].long() and slices is_max with ih.item() / iw.item(); .item() of a tensor breaks plain
# torch.compile (lines 276-281 copied; the rest of DKD breaks later on nonzero anyway).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch


def remove_border(is_max, image_size, radius: int = 2):
    b = is_max.shape[0]
    for i in range(b):
        iw, ih = image_size[i].long()
        is_max[i, :, ih.item() - radius :, :] = False
        is_max[i, :, :, iw.item() - radius :] = False
    return is_max


check(remove_border, torch.ones(2, 1, 16, 16, dtype=torch.bool), torch.tensor([[16, 12], [10, 16]]), mode="default")
