# Reduces: torchvision roi_heads.py:40 (torch.where(labels > 0)[0]), roi_heads.py:808 and :855
#          (torch.where(labels[img_id] > 0)[0]), ssd.py:277 (torch.where(matched_idxs_per_image >= 0)[0]),
#          ops/poolers.py:201 (torch.where(levels == level)[0])
# Training losses / MultiScaleRoIAlign: condition is an int64 Tensor compared with a Python int -> bool Tensor.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

def select(labels, proposals, level):
    pos = torch.where(labels > 0)[0]
    idx_in_level = torch.where(labels == level)[0]
    return proposals[pos], proposals[idx_in_level]

check(select, torch.randint(-1, 5, (64,), dtype=torch.int64), torch.randn(64, 4), 2, mode="default")
