# e_14: torchvision torchvision/ops/roi_align.py:193 (CA101 isinstance(count, torch.Tensor))
# In _roi_align, count = max(roi_bin_grid_h * roi_bin_grid_w, 1) is a Python int when
# sampling_ratio > 0 (exact_sampling, e.g. MultiScaleRoIAlign(sampling_ratio=2) in Faster/Mask R-CNN),
# and torch.clamp(...) (a Tensor) only when sampling_ratio <= 0.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def count_of(rois, pooled_height=7, pooled_width=7, sampling_ratio=2, aligned=False):
    roi_width = rois[:, 3] - rois[:, 1]
    roi_height = rois[:, 4] - rois[:, 2]
    if not aligned:
        roi_width = torch.clamp(roi_width, min=1.0)
        roi_height = torch.clamp(roi_height, min=1.0)
    exact_sampling = sampling_ratio > 0
    roi_bin_grid_h = sampling_ratio if exact_sampling else torch.ceil(roi_height / pooled_height)
    roi_bin_grid_w = sampling_ratio if exact_sampling else torch.ceil(roi_width / pooled_width)
    if exact_sampling:
        count = max(roi_bin_grid_h * roi_bin_grid_w, 1)
    else:
        count = torch.clamp(roi_bin_grid_h * roi_bin_grid_w, min=1)
    return count


rois = torch.tensor([[0, 1.0, 1.0, 20.0, 30.0]])
count = count_of(rois, sampling_ratio=2)
print("count type with sampling_ratio=2:", type(count).__name__)
claim(isinstance(count, torch.Tensor), "count is a Python int when sampling_ratio > 0, so the else branch is live")
