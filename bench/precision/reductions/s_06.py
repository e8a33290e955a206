# kornia feature/disk/detector.py:67-68 `xy = xy[mask]`, `detection_logp = detection_logp[mask]` (CA111), in
# heatmap_to_keypoints, which DISK.forward/detect calls on every image with n keypoints asked for (the documented
# default path of DISK.detect): the top-n selection is a boolean mask, and indexing with it gives a data-dependent
# number of keypoints: a graph break in plain torch.compile (GB0036).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def select(xy, detection_logp, n: int):
    if n is not None and detection_logp.numel() > n:
        minus_threshold, _ = torch.kthvalue(-detection_logp, n)
        threshold = -minus_threshold
        above = detection_logp > threshold
        tied = detection_logp == threshold
        mask = above | (tied & (torch.cumsum(tied, 0) <= n - above.sum()))
        xy = xy[mask]
        detection_logp = detection_logp[mask]
    return xy, detection_logp


check(select, torch.randn(10, 2), torch.randn(10), 4, mode="default")
