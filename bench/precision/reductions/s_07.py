# kornia contrib/object_detection.py:431 `valid_boxes = box[mask]` (CA111): BoxFiltering.forward with its default
# filter_as_zero=False keeps each image's boxes above the confidence threshold by boolean-mask indexing: a
# data-dependent number of boxes, a graph break in plain torch.compile (GB0036).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


class BoxFiltering(torch.nn.Module):
    def __init__(self, confidence_threshold=0.3, filter_as_zero=False):
        super().__init__()
        self.confidence_threshold = confidence_threshold
        self.filter_as_zero = filter_as_zero

    def forward(self, boxes):
        confidence_mask = boxes[:, :, 1] > self.confidence_threshold
        class_mask = torch.ones_like(confidence_mask)
        combined_mask = confidence_mask & class_mask
        if self.filter_as_zero:
            return boxes * combined_mask[:, :, None]
        filtered_boxes_list = []
        for i in range(boxes.shape[0]):
            box = boxes[i]
            mask = combined_mask[i]
            valid_boxes = box[mask]
            filtered_boxes_list.append(valid_boxes)
        return filtered_boxes_list


check(BoxFiltering(), torch.rand(2, 5, 6), mode="default")
