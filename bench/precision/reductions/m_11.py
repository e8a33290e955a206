# monai/networks/nets/vista3d.py CA104 nth 1 (line 265, VISTA3D.connected_components_combine): fill_mask is
# a bool Tensor (logical_and of the NaN mask and the unconnected positive region); `if fill_mask.any():` is
# data-dependent branching -> fullgraph fails.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def fill(_logits, point_logits, cc, thred=0.5):
    nan_mask = torch.isnan(_logits)
    pos_region = point_logits.sigmoid() > thred
    uc_pos_region = torch.logical_and(pos_region, ~cc)
    fill_mask = torch.logical_and(nan_mask, uc_pos_region)
    if fill_mask.any():
        point_logits[fill_mask] = -1
    cc = torch.logical_or(nan_mask, cc).to(_logits.dtype)
    return cc * point_logits


lg = torch.randn(1, 1, 8, 8, 8)
lg[0, 0, :2] = float("nan")
check(fill, lg, torch.randn(1, 1, 8, 8, 8), torch.rand(1, 1, 8, 8, 8) > 0.5)
