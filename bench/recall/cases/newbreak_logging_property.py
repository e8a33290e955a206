"""A deprecated property that logs a warning, read from forward."""

import logging

import torch
from torch import nn

logger = logging.getLogger(__name__)


class Embedder(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.proj = nn.Linear(dim, dim)
        self._scale = dim ** -0.5

    @property
    def scale(self):
        logger.warning("`scale` is deprecated, use `embed_scale`")
        return self._scale

    def forward(self, x):
        return self.proj(x) * self.scale


model = torch.compile(Embedder())


def case_logging_property():
    return model._orig_mod, (torch.randn(2, 8),)
