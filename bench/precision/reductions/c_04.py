# Reduces: torchvision fcos.py:606 CA110 / :607 CA103, generalized_rcnn.py:106 CA110 / :107 CA103,
#          retinanet.py:620 CA110 / :621 CA103, ssd.py:362 CA110 / :363 CA103 (degenerate-box error report)
# The torch.where(...)[0][0] and boxes[bb_idx].tolist() lines sit inside `if degenerate_boxes.any():` and only
# build the message of torch._assert(False, ...). With valid training targets the branch is never taken, so
# Dynamo stops at the data-dependent `if` (GB0170; inside the loop it skips the frame) and never traces the
# flagged lines; with an invalid box the frame raises the AssertionError anyway.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from torch._dynamo.utils import counters

def check_targets(targets):
    for target_idx, target in enumerate(targets):
        boxes = target["boxes"]
        degenerate_boxes = boxes[:, 2:] <= boxes[:, :2]
        if degenerate_boxes.any():
            bb_idx = torch.where(degenerate_boxes.any(dim=1))[0][0]
            degen_bb: list[float] = boxes[bb_idx].tolist()
            torch._assert(False, f"All bounding boxes should have positive height and width. Found invalid box {degen_bb} for target at index {target_idx}.")
    return targets[0]["boxes"] * 1

xy = torch.rand(5, 2) * 50
boxes = torch.cat([xy, xy + 10], dim=1)  # valid boxes (x2 > x1, y2 > y1)
torch._dynamo.reset(); counters.clear()
torch.compile(check_targets, backend="eager")([{"boxes": boxes}])
reasons = [str(r).strip().splitlines()[0] for key in ("graph_break", "unimplemented") for r in counters[key]]
print("graph breaks:", reasons)
flagged = any(("Dynamic shape" in r) or ("tolist" in r) for r in reasons)
claim(flagged, "the where()/tolist() lines are traced and break with valid targets")
