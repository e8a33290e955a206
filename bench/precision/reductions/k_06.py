# kornia/contrib/image_stitching.py CA102 nth 1 (line 131, ImageStitcher.estimate_transform, called by
# stitch_pair in every forward): n_i = int(sel.sum().item()) where sel = idx == i is a bool Tensor over the
# matcher's int64 batch_indexes; .item() of a tensor breaks plain torch.compile (lines 128-133 copied).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch


def count_check(idx, n: int):
    selections = [idx == i for i in range(n)]
    for i, sel in enumerate(selections):
        n_i = int(sel.sum().item())
        if n_i < 4:
            raise RuntimeError(f"Compute homography failed for sample {i}: {n_i} matches, a homography needs 4.")
    return torch.stack([s.float() for s in selections])


check(count_check, torch.tensor([0] * 5 + [1] * 6), 2, mode="default")
