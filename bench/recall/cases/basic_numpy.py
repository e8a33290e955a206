"""NumPy round trips in compiled code (`.numpy()`, `np.percentile`, `torch.from_numpy`)."""

import numpy as np
import torch
from torch import nn


class PercentileClip(nn.Module):
    def forward(self, x):
        arr = x.detach().cpu().numpy()
        hi = np.percentile(arr, 99)
        return x.clamp(max=float(hi))


def to_numpy_and_back(x):
    arr = x.numpy()
    arr = np.clip(arr, -1.0, 1.0)
    return torch.from_numpy(arr) * 2


model = torch.compile(PercentileClip())
compiled_roundtrip = torch.compile(to_numpy_and_back)


def case_numpy_percentile():
    return model._orig_mod, (torch.randn(4, 8),)


def case_numpy_roundtrip():
    return to_numpy_and_back, (torch.randn(4, 8),)
