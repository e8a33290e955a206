# g_10: vector_quantize_pytorch vector_quantize_pytorch.py:593 CA104 `if not torch.any(expired_codes):`
# Codebook.expire_codes_ in training with threshold_ema_dead_code > 0: expired_codes = self.cluster_size (buffer)
# < threshold (float); torch.any(...) is a bool Tensor used in `if`.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn as nn


class Codebook(nn.Module):
    def __init__(self, threshold_ema_dead_code=2, codebook_size=8):
        super().__init__()
        self.threshold_ema_dead_code = threshold_ema_dead_code
        self.has_dead_code_replacement = threshold_ema_dead_code > 0
        self.register_buffer('cluster_size', torch.ones(1, codebook_size))

    def expire_codes_(self, batch_samples):
        if not self.has_dead_code_replacement or not self.training:
            return
        expired_codes = self.cluster_size < self.threshold_ema_dead_code
        if not torch.any(expired_codes):
            return
        self.cluster_size.masked_fill_(expired_codes, 2.)

    def forward(self, x):
        self.expire_codes_(x)
        return x * 2


check(Codebook().train(), torch.randn(2, 4))
