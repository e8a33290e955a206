# Reduces: torchvision fcos.py:521, retinanet.py:536 (topk_idxs = torch.where(keep_idxs)[0]),
#          roi_heads.py:720 (torch.where(scores > self.score_thresh)[0]), rpn.py:285 (torch.where(scores >= self.score_thresh)[0])
# Inference postprocessing: scores is a float Tensor, score_thresh a Python float, the condition a bool Tensor.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

score_thresh = 0.05

def postprocess(logits_per_level):
    scores_per_level = torch.sigmoid(logits_per_level).flatten()
    keep_idxs = scores_per_level > score_thresh
    topk_idxs = torch.where(keep_idxs)[0]
    num_topk = min(topk_idxs.size(0), 1000)
    return topk_idxs[:num_topk] % 91

check(postprocess, torch.randn(200, 91), mode="default")
