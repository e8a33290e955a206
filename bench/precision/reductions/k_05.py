# kornia/contrib/image_stitching.py CA102 nth 1 (line 119, ImageStitcher.estimate_transform):
# n = int(idx.max().item()) + 1 runs only when batch_size is None. The library's own caller, stitch_pair (run by
# ImageStitcher.forward), always passes batch_size=images_left.shape[0], a Python int, so in normal use the branch
# is not traced: the head of estimate_transform as forward calls it compiles in plain torch.compile.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch


def head(idx, batch_size=None):
    # lines 115-120 of estimate_transform, called as stitch_pair calls it
    if batch_size is None:
        if idx.numel() == 0:
            raise RuntimeError("Compute homography failed. No matched keypoints found.")
        n = int(idx.max().item()) + 1
    else:
        n = batch_size
    return idx + n


images_left = torch.rand(2, 3, 8, 8)
check(lambda idx: head(idx, batch_size=images_left.shape[0]), torch.tensor([0, 0, 1, 1, 1]), mode="default")
