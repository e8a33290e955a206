# g_12: vector_quantize_pytorch vector_quantize_pytorch.py:1233 CA123 `loss.backward()`
# VectorQuantize.forward with in_place_codebook_optimizer given, in training, codebook not frozen:
# loss = F.mse_loss(quantize, x.detach()) (no mask) and loss.backward() runs inside the forward.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn as nn
import torch.nn.functional as F


class VQ(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Parameter(torch.randn(8, 4))  # learnable codebook
        self.in_place_codebook_optimizer = torch.optim.SGD(self.parameters(), lr=0.1)
        self.freeze_codebook = False

    def forward(self, x, mask=None):
        should_inplace_optimize = self.in_place_codebook_optimizer is not None
        quantize = self.embed[torch.cdist(x, self.embed).argmin(-1)]
        if should_inplace_optimize and self.training and not self.freeze_codebook:
            loss = F.mse_loss(quantize, x.detach())
            loss.backward()
        return quantize


check(VQ().train(), torch.randn(6, 4))
