# h_02: torchvision torchvision/models/detection/ssd.py:436 CA111 `score = score[keep_idxs]` and
#       :437 CA111 `box = boxes[keep_idxs]`
# SSD.postprocess_detections (eval forward): keep_idxs = score > self.score_thresh (Python float) is a bool
# Tensor; both mask reads have data-dependent size (inside the per-label loop).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

score_thresh = 0.01  # self.score_thresh
topk_candidates = 400


def per_label(scores, boxes):
    image_boxes, image_scores = [], []
    for label in range(1, scores.size(-1)):
        score = scores[:, label]
        keep_idxs = score > score_thresh
        score = score[keep_idxs]
        box = boxes[keep_idxs]
        num_topk = min(topk_candidates, score.size(0))
        score, idxs = score.topk(num_topk)
        image_boxes.append(box[idxs])
        image_scores.append(score)
    return torch.cat(image_boxes), torch.cat(image_scores)


check(per_label, torch.randn(100, 5).softmax(-1), torch.rand(100, 4), mode="default")
