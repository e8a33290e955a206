# torchvision/ops/poolers.py:125-126 CA102: lvl_min/lvl_max = -torch.log2(torch.tensor(scales[0|-1])).item()
# in _setup_scales, called from MultiScaleRoIAlign.forward while self.scales is None (the first compiled call).
# scales are Python floats (from _infer_scale); torch.tensor(...) makes a Tensor, and .item() graph-breaks.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


@torch.fx.wrap
def _setup_scales(feat, scales: list[float]):
    lvl_min = -torch.log2(torch.tensor(scales[0], dtype=torch.float32)).item()
    lvl_max = -torch.log2(torch.tensor(scales[-1], dtype=torch.float32)).item()
    return feat * (int(lvl_max) - int(lvl_min))


check(_setup_scales, torch.randn(4), [0.25, 0.125, 0.0625, 0.03125], mode="default")
