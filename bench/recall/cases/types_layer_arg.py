"""A layer passed in as an argument; its result is pulled to Python (`head(feats).argmax().item()`)."""

import torch
from torch import nn


def predict_class(head, feats):
    logits = head(feats)
    return logits.argmax(-1).item()


def gated(layer, x):
    out = layer(x)
    if out.mean() > 0:
        return out
    return -out


class Model(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.body = nn.Linear(dim, dim)
        self.head = nn.Linear(dim, 3)

    def forward(self, x):
        h = gated(self.body, x)
        return predict_class(self.head, h[0])


model = torch.compile(Model())


def case_layer_arg():
    return model._orig_mod, (torch.randn(2, 8),)
