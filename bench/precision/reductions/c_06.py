# Reduces: torchvision roi_heads.py:328 (valid = torch.where(valid)[0], valid uint8), roi_heads.py:620
#          (torch.where(pos_inds_img | neg_inds_img)[0]), rpn.py:315/316 (torch.where(torch.cat(sampled_*_inds))[0])
# BalancedPositiveNegativeSampler returns uint8 masks; torch.where(cond) on them is nonzero().
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

def subsample(pos_masks, neg_masks):
    sampled_pos_inds = torch.where(torch.cat(pos_masks, dim=0))[0]
    sampled_neg_inds = torch.where(torch.cat(neg_masks, dim=0))[0]
    img_sampled_inds = torch.where(pos_masks[0] | neg_masks[0])[0]
    return torch.cat([sampled_pos_inds, sampled_neg_inds], dim=0), img_sampled_inds

pos = [(torch.rand(100) > 0.8).to(torch.uint8) for _ in range(2)]
neg = [(torch.rand(100) > 0.5).to(torch.uint8) for _ in range(2)]
check(subsample, pos, neg, mode="default")
