# e_12: torchvision detection forward tails (CA113 warnings.warn):
#   torchvision/models/detection/fcos.py:649, generalized_rcnn.py:129, retinanet.py:672, ssd.py:409
# The warn sits under `if torch.jit.is_scripting():`, which Dynamo folds to False, so the branch
# (and the warn) is never traced.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import warnings
import torch
import torch.nn as nn


class DetectorTail(nn.Module):
    def __init__(self):
        super().__init__()
        self._has_warned = False
        self.head = nn.Linear(4, 4)

    def eager_outputs(self, losses, detections):
        if self.training:
            return losses
        return detections

    def forward(self, x):
        losses = {}
        detections = [{"boxes": self.head(x)}]
        if torch.jit.is_scripting():
            if not self._has_warned:
                warnings.warn("FCOS always returns a (Losses, Detections) tuple in scripting")
                self._has_warned = True
            return losses, detections
        return self.eager_outputs(losses, detections)


check(DetectorTail().eval(), torch.randn(2, 4))
