# kornia/contrib/face_detection.py CA111 nth 1 and 2 (line 252, FaceDetector.postprocess, called by forward):
# inds = scores > self.confidence_threshold is a bool Tensor; boxes[inds] / scores[inds] have a data-dependent
# length, so plain torch.compile of the detector's postprocess breaks there (real postprocess, YuNet-shaped outputs).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import types
sys.modules.setdefault("kornia_rs", types.ModuleType("kornia_rs")); sys.modules["kornia_rs"].io = sys.modules.setdefault("kornia_rs.io", types.ModuleType("kornia_rs.io"))
sys.path.insert(0, str(pathlib.Path(__file__).parents[2] / ".corpus/precision/kornia"))
import torch
from torch import nn
from kornia.contrib.face_detection import FaceDetector, PriorBox

fd = FaceDetector.__new__(FaceDetector)
nn.Module.__init__(fd)
fd.top_k, fd.confidence_threshold, fd.nms_threshold, fd.keep_top_k = 5000, 0.3, 0.3, 750
fd.min_sizes = [[10, 16, 24], [32, 48], [64, 96], [128, 192, 256]]
fd.steps, fd.variance, fd.clip = [8, 16, 32, 64], [0.1, 0.2], False
from kornia.contrib.face_detection import nms_kornia
fd.nms = nms_kornia

n = PriorBox(fd.min_sizes, fd.steps, fd.clip, image_size=(64, 64))().shape[0]
data = {"loc": torch.randn(1, n, 14) * 0.1, "conf": torch.rand(1, n, 2), "iou": torch.rand(1, n, 1)}
check(fd.postprocess, data, 64, 64, mode="default")
