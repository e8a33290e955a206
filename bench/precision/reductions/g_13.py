# g_13: vector_quantize_pytorch vector_quantize_pytorch.py:1315 CA128 `loss.requires_grad_()`
# loss = self.zero, a module buffer (register_buffer('zero', tensor(0.), persistent=False)) - a graph input,
# not a tensor created in the compiled code; in training requires_grad_() is called on it every forward.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import tensor


class VQ(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer('zero', tensor(0.), persistent=False)

    def forward(self, x, quantize):
        loss = self.zero
        if self.training:
            loss.requires_grad_()
        if self.training:
            loss = loss + F.mse_loss(quantize.detach(), x)
        return quantize, loss


check(VQ().train(), torch.randn(2, 4), torch.randn(2, 4))
