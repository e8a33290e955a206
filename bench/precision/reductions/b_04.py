# torchvision/ops/roi_align.py CA104 nth 1 (line 277): the `if (not _has_ops() or
# (torch.are_deterministic_algorithms_enabled() and (input.is_cuda or ...))) and
# is_compile_supported(input.device.type):` test. Every operand is a Python bool
# (_has_ops() returns a constant, is_cuda/is_mps/is_xpu are bools, is_compile_supported takes a str).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from torch._dynamo.utils import is_compile_supported


def _has_ops():  # torchvision.extension: returns True once the C++ ops library loaded
    return True


def roi_align(input, rois):
    if not torch.jit.is_scripting():
        if (
            not _has_ops()
            or (torch.are_deterministic_algorithms_enabled() and (input.is_cuda or input.is_mps or input.is_xpu))
        ) and is_compile_supported(input.device.type):
            return input.sum() + rois.sum()  # stands for _roi_align(...)
    return input.mean() + rois.mean()  # stands for torch.ops.torchvision.roi_align(...)


check(roi_align, torch.randn(1, 4, 8, 8), torch.tensor([[0.0, 0.0, 0.0, 4.0, 4.0]]))
