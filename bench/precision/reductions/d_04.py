# torchvision torchvision/models/detection/ssd.py:323 CA111 nth 1 -- cls_loss[foreground_idxs].sum() in SSD.compute_loss
# (foreground_idxs = cls_targets > 0 is a bool Tensor; training forward)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F


def ssd_cls_loss(cls_logits, cls_targets, N):
    num_classes = cls_logits.size(-1)
    cls_loss = F.cross_entropy(cls_logits.view(-1, num_classes), cls_targets.view(-1), reduction="none").view(
        cls_targets.size()
    )
    foreground_idxs = cls_targets > 0
    num_negative = 3 * foreground_idxs.sum(1, keepdim=True)
    negative_loss = cls_loss.clone()
    negative_loss[foreground_idxs] = -float("inf")
    values, idx = negative_loss.sort(1, descending=True)
    background_idxs = idx.sort(1)[1] < num_negative
    return (cls_loss[foreground_idxs].sum() + cls_loss[background_idxs].sum()) / N


check(ssd_cls_loss, torch.randn(2, 100, 21), torch.randint(0, 21, (2, 100)), 5, mode="default")
