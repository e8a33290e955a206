# kornia feature/sold2/sold2_detector.py LineSegmentDetectionModule (called from SOLD2_detector.forward
# through self.line_detector.detect): `torch.where(candidate_map)` with one argument (lines 257, 376,
# 449, 500, 501, 552) and `torch.unique(junctions_new, dim=0)` (488) give tensors whose size depends on
# the data: plain torch.compile breaks (GB0036). `if subheatmap.max() > valid_thresh:` (358) branches on
# a tensor: a break in default mode too.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def candidates(candidate_map):
    candidate_indices = torch.where(candidate_map)
    return torch.stack(candidate_indices, -1)


def uniq(junctions):
    return torch.unique(junctions, dim=0).float().sum()


def refine(subheatmap, valid_thresh=0.5):
    if subheatmap.max() > valid_thresh:
        return subheatmap * 2
    return subheatmap


check(candidates, torch.triu(torch.ones(4, 4, dtype=torch.int32), diagonal=1), mode="default")
check(uniq, torch.tensor([[1, 2], [1, 2], [3, 4]]), mode="default")
check(refine, torch.rand(3, 3), mode="default")
