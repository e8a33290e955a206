# torchvision torchvision/ops/poolers.py:104 CA106 nth 1 -- scale = 2 ** float(torch.tensor(approx_scale).log2().round())
# (_infer_scale, reached from MultiScaleRoIAlign.forward -> _setup_scales on the first (compiled) call;
#  approx_scale is a Python float, torch.tensor(...) is a graph tensor, float() of it is an .item())
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def _infer_scale(feature, original_size):
    size = feature.shape[-2:]
    possible_scales = []
    for s1, s2 in zip(size, original_size):
        approx_scale = float(s1) / float(s2)
        scale = 2 ** float(torch.tensor(approx_scale).log2().round())
        possible_scales.append(scale)
    return possible_scales[0]


def setup_scales(feat):
    return feat * _infer_scale(feat, (800, 800))


check(setup_scales, torch.rand(1, 8, 200, 200), mode="default")
