"""`@torch.compiler.disable` on a module-level helper that forward calls (docs' fine-grained API example)."""

import torch
from torch import nn


@torch.compiler.disable
def box_stats(boxes):
    widths = boxes[:, 2] - boxes[:, 0]
    return widths.mean()


class BoxHead(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, 4)

    def forward(self, x):
        boxes = self.fc(x)
        stats = box_stats(boxes)
        return boxes, stats


model = torch.compile(BoxHead())


def case_compiler_disable():
    return model._orig_mod, (torch.randn(3, 8),)
