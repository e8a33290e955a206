# torchvision/models/detection/{fcos.py:604, generalized_rcnn.py:104, retinanet.py:618, ssd.py:361}
# CA104: `if degenerate_boxes.any():` in the detectors' forward (training, targets given);
# degenerate_boxes = boxes[:, 2:] <= boxes[:, :2] is a bool Tensor.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def check_targets(images, targets):
    if targets is not None:
        for target_idx, target in enumerate(targets):
            boxes = target["boxes"]
            degenerate_boxes = boxes[:, 2:] <= boxes[:, :2]
            if degenerate_boxes.any():
                bb_idx = torch.where(degenerate_boxes.any(dim=1))[0][0]
                degen_bb = boxes[bb_idx].tolist()
                torch._assert(False, f"invalid box {degen_bb} for target {target_idx}")
    return images * 2


targets = [{"boxes": torch.tensor([[0.0, 0.0, 10.0, 10.0], [5.0, 5.0, 20.0, 30.0]]), "labels": torch.tensor([1, 2])}]
check(check_targets, torch.randn(1, 3, 32, 32), targets)
