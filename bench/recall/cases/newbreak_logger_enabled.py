"""`logger.isEnabledFor(logging.DEBUG)` guarding debug statistics in forward."""

import logging

import torch
from torch import nn

logger = logging.getLogger(__name__)


class Router(nn.Module):
    def __init__(self, dim: int = 8, experts: int = 4):
        super().__init__()
        self.gate = nn.Linear(dim, experts)

    def forward(self, x):
        probs = torch.softmax(self.gate(x), dim=-1)
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("router entropy %s", -(probs * probs.log()).sum(-1).mean())
        return probs.topk(2, dim=-1).indices


model = torch.compile(Router())


def case_logger_enabled():
    return model._orig_mod, (torch.randn(3, 8),)
