"""See the package docstring: the transforms vit_pytorch's trainers build, as stand-ins."""

import types

import torch.nn.functional as F
from torch import nn


class Identity(nn.Module):
    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, x):
        return x


class RandomResizedCrop(nn.Module):
    def __init__(self, size, *args, **kwargs):
        super().__init__()
        self.size = size

    def forward(self, x):
        return F.interpolate(x, size=self.size, mode="bilinear", align_corners=False)


ColorJitter = RandomGrayscale = RandomHorizontalFlip = GaussianBlur = Normalize = Identity
InterpolationMode = types.SimpleNamespace(BICUBIC="bicubic")
