# kornia/geometry/bbox.py CA110 nth 1 (line 760, nms: `inds = torch.where(ovr <= iou_threshold)[0]`). SOLD2_detector
# .forward -> prob_to_junctions -> nms(boxes, scores, 0.0) on the junction boxes of every image with junctions; ovr is
# the float IoU of the kept box with the rest, and one-argument torch.where is nonzero, of data-dependent length:
# plain torch.compile breaks (GB0036; nms's docstring says torch.compile cannot capture it). In this release Dynamo
# stops earlier in the same loop, at x1[i] with the 0-d tensor i = order[0] (line 750), and runs nms eagerly; the line
# breaks once that read is changed. Shown: one iteration of the loop body (lines 749-761) with the real value types,
# x1[i] written as x1.index_select(0, order[:1]) so that Dynamo reaches line 760.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def nms_step(x1, y1, x2, y2, areas, order, iou_threshold: float):
    i = order[0]
    xx1 = torch.max(x1.index_select(0, order[:1]), x1[order[1:]])
    yy1 = torch.max(y1.index_select(0, order[:1]), y1[order[1:]])
    xx2 = torch.min(x2.index_select(0, order[:1]), x2[order[1:]])
    yy2 = torch.min(y2.index_select(0, order[:1]), y2[order[1:]])
    w = torch.clamp(xx2 - xx1, min=0.0)
    h = torch.clamp(yy2 - yy1, min=0.0)
    inter = w * h
    ovr = inter / (areas.index_select(0, order[:1]) + areas[order[1:]] - inter)
    inds = torch.where(ovr <= iou_threshold)[0]
    return i, order[inds + 1]


# junction boxes as prob_to_junctions builds them: (row, col) +- side / 2, side = floor(dist) + 0.5, dist = 8
junctions = torch.randint(0, 64, (20, 2)).float()
boxes = torch.cat([junctions - 4.25, junctions + 4.25], 1)
x1, y1, x2, y2 = boxes.unbind(-1)
_, order = torch.rand(20).sort(descending=True)
check(nms_step, x1, y1, x2, y2, (x2 - x1) * (y2 - y1), order, 0.0, mode="default")
