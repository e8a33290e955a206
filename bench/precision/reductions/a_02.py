# torchvision/models/detection/roi_heads.py:285-286 CA102: int(widths_ceil[i].item()), int(heights_ceil[i].item())
# in heatmaps_to_keypoints (keypointrcnn_inference, eval forward of Keypoint R-CNN). torchvision._is_tracing()
# is False under Dynamo, so the Python loop over the rois runs; widths_ceil is a Tensor computed from the rois and
# i a Python int from range(len(rois)).
# Reduced to one iteration of that loop: with the real for-loop, plain torch.compile hits the .item() break inside
# the loop and then skips the whole frame ("graph break in loop", counted under counters["unimplemented"], which
# the harness's graph_break counter does not see) -- i.e. even worse than a single graph break.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F


def keypoint_for_roi(maps, rois, i: int):
    widths = (rois[:, 2] - rois[:, 0]).clamp(min=1)
    heights = (rois[:, 3] - rois[:, 1]).clamp(min=1)
    widths_ceil = widths.ceil()
    heights_ceil = heights.ceil()
    roi_map_width = int(widths_ceil[i].item())
    roi_map_height = int(heights_ceil[i].item())
    roi_map = F.interpolate(maps[i][:, None], size=(roi_map_height, roi_map_width), mode="bicubic",
                            align_corners=False)[:, 0]
    return roi_map.reshape(maps.shape[1], -1).argmax(dim=1)


rois = torch.tensor([[0.0, 0.0, 10.5, 12.2], [3.0, 4.0, 20.0, 9.0]])
check(keypoint_for_roi, torch.randn(2, 17, 56, 56), rois, 0, mode="default")
