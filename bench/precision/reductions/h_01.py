# h_01: torchvision torchvision/models/detection/ssd.py:323 CA111 nth 2 -- cls_loss[background_idxs].sum()
# SSD.compute_loss (training forward): background_idxs = idx.sort(1)[1] < num_negative is a bool Tensor
# (num_negative = neg_to_pos_ratio * foreground_idxs.sum(1, keepdim=True), a Tensor); the mask read has a
# data-dependent number of elements.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F

neg_to_pos_ratio = 3  # self.neg_to_pos_ratio, a Python int


def hard_negative_loss(cls_logits, cls_targets, num_foreground):
    num_classes = cls_logits.size(-1)
    cls_loss = F.cross_entropy(cls_logits.view(-1, num_classes), cls_targets.view(-1), reduction="none").view(cls_targets.size())
    foreground_idxs = cls_targets > 0
    num_negative = neg_to_pos_ratio * foreground_idxs.sum(1, keepdim=True)
    negative_loss = cls_loss.clone()
    negative_loss[foreground_idxs] = -float("inf")
    values, idx = negative_loss.sort(1, descending=True)
    background_idxs = idx.sort(1)[1] < num_negative
    N = max(1, num_foreground)
    return cls_loss[background_idxs].sum() / N


cls_targets = torch.zeros(2, 50, dtype=torch.int64)
cls_targets[:, :3] = 5
check(hard_negative_loss, torch.randn(2, 50, 21), cls_targets, 6, mode="default")
