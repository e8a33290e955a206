# x_transformers/x_transformers.py CA104 nth 1 (line 2657, Attention.forward hybrid-module block):
# `if not causal and exists(self.hybrid_mask_kwarg):` - causal = default(causal, self.causal) is a
# Python bool and hybrid_mask_kwarg is a str/None attribute; static.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def exists(v):
    return v is not None


def default(v, d):
    return v if exists(v) else d


class Attn(torch.nn.Module):
    def __init__(self, causal=False, hybrid_mask_kwarg="mask"):
        super().__init__()
        self.causal = causal
        self.hybrid_mask_kwarg = hybrid_mask_kwarg
        self.hybrid_module = torch.nn.Linear(8, 8)

    def forward(self, x, mask=None, causal=None):
        causal = default(causal, self.causal)
        out = x * 2
        if exists(self.hybrid_module):
            hybrid_forward_kwargs = dict()
            if not causal and exists(self.hybrid_mask_kwarg):
                hybrid_forward_kwargs = {self.hybrid_mask_kwarg: mask}
            m = hybrid_forward_kwargs.get("mask")
            h = self.hybrid_module(x)
            if m is not None:
                h = h.masked_fill(~m[..., None], 0.0)
            out = out + h
        return out


a = Attn()
check(lambda x, m: a(x, mask=m), torch.randn(2, 5, 8), torch.ones(2, 5, dtype=torch.bool))
