# torchvision torchvision/models/detection/fcos.py:483 CA111 nth 1 -- matched_idx[min_values < 1e-5] = -1
# (boolean-mask *store* of a Python scalar into a tensor; FCOS.compute_loss, training forward)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def compute_matched_idx(pairwise_match, gt_areas):
    pairwise_match = pairwise_match.to(torch.float32) * (1e8 - gt_areas[None, :])
    min_values, matched_idx = pairwise_match.max(dim=1)
    matched_idx[min_values < 1e-5] = -1  # unmatched anchors are assigned -1
    return matched_idx


pairwise_match = torch.rand(50, 4) > 0.5  # bool (anchors x gt boxes)
gt_areas = torch.rand(4) * 100
check(compute_matched_idx, pairwise_match, gt_areas, mode="default")
