# torchvision torchvision/models/detection/fcos.py:520 CA111 nth 1 -- scores_per_level = scores_per_level[keep_idxs]
# torchvision torchvision/models/detection/retinanet.py:535 CA111 nth 1 -- same line in RetinaNet.postprocess_detections
# (boolean-mask *read*: keep_idxs = scores > self.score_thresh is a bool Tensor; eval forward)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

score_thresh = 0.2  # self.score_thresh, a Python float


def filter_level(logits_per_level, box_ctrness_per_level):
    scores_per_level = torch.sqrt(torch.sigmoid(logits_per_level) * torch.sigmoid(box_ctrness_per_level)).flatten()
    keep_idxs = scores_per_level > score_thresh
    scores_per_level = scores_per_level[keep_idxs]
    topk_idxs = torch.where(keep_idxs)[0]
    return scores_per_level, topk_idxs


check(filter_level, torch.randn(100, 91), torch.randn(100, 1), mode="default")
