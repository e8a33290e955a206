"""A per-sample function passed to torch.func.vmap (per-example gradients / ensembling)."""

import torch
from torch import nn


def per_sample_norm(v):
    print("per-sample norm", v.shape)
    return v / v.norm()


class VmapNorm(nn.Module):
    def forward(self, x):
        return torch.func.vmap(per_sample_norm)(x)


model = torch.compile(VmapNorm())


def case_vmap():
    return model._orig_mod, (torch.randn(3, 5),)
