# x_transformers/x_transformers.py CA104 nth 1 (line 688, AlibiPositionalBias.forward):
# `if exists(self.bias) and self.bias.shape[-1] >= j and self.bias.shape[-2] >= i:` - i, j are Python
# ints (Attention calls rel_pos(i, j) with sequence lengths from .shape) and self.bias is a buffer whose
# .shape entries are ints; the test is static.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def exists(v):
    return v is not None


class Alibi(torch.nn.Module):
    def __init__(self, heads=4):
        super().__init__()
        self.register_buffer("slopes", torch.rand(heads, 1, 1), persistent=False)
        self.register_buffer("bias", -torch.arange(64.0).view(1, 1, 64).expand(heads, 64, 64).clone(), persistent=False)

    def forward(self, i, j):
        if exists(self.bias) and self.bias.shape[-1] >= j and self.bias.shape[-2] >= i:
            return self.bias[..., -i:, -j:]
        seq_arange = torch.arange(j - i, j)
        context_arange = torch.arange(j)
        return -(context_arange[None, None, :] - seq_arange[None, :, None]).abs() * self.slopes


alibi = Alibi()


def attn_bias(q, k):
    i, j = q.shape[-2], k.shape[-2]
    return q.sum() + alibi(i, j).sum()


check(attn_bias, torch.randn(1, 4, 16, 8), torch.randn(1, 4, 16, 8))
