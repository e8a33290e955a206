"""`disable(fn)` as a call: module-level wrapping and wrapping a bound method in __init__."""

import torch
from torch import nn


def greedy_nms(boxes, scores, iou_threshold: float = 0.5):
    order = scores.argsort(descending=True)
    return order[:2]


nms = torch.compiler.disable(greedy_nms)


class PostProcess(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, 5)
        self.momentum = 0.9
        self.register_buffer("ema", torch.zeros(5))
        self._update_ema = torch._dynamo.disable(self._update_ema)

    def _update_ema(self, out):
        self.ema.mul_(self.momentum).add_(out.detach().mean(0), alpha=1 - self.momentum)

    def forward(self, x):
        out = self.fc(x)
        self._update_ema(out)
        keep = nms(out[:, :4], out[:, 4])
        return out[keep]


model = torch.compile(PostProcess())


def case_disable_call():
    return model._orig_mod, (torch.randn(4, 8),)
