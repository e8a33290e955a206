# e_24: x_transformers x_transformers/x_transformers.py:3808 (CA101 isinstance(prefix_attn_len, int))
# prefix_attn_len is a PrefixDecoder.forward keyword the caller passes: a Python int (one prefix
# length for the batch) or a per-sample Tensor; the torch.full named by the linter is the rebinding
# inside the branch.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

seen = {}


def prefix_decoder_forward(x, attn_mask=None, prefix_attn_len=None):
    b, n, device = x.shape[0], x.shape[1], x.device
    causal_mask = torch.ones((n, n), device=device, dtype=torch.bool).triu(1)
    forwarded_mask = ~causal_mask
    if prefix_attn_len is not None:
        seen['prefix_attn_len'] = prefix_attn_len
        if isinstance(prefix_attn_len, int):
            prefix_attn_len = torch.full((b,), prefix_attn_len, device=device)
        prefix_mask = torch.arange(n, device=device) < prefix_attn_len[:, None, None, None]
        forwarded_mask = forwarded_mask | prefix_mask
    return forwarded_mask


prefix_decoder_forward(torch.randn(2, 6, 8), prefix_attn_len=3)
v = seen['prefix_attn_len']
print("prefix_attn_len type:", type(v).__name__)
claim(isinstance(v, torch.Tensor) and not isinstance(v, int),
      "prefix_attn_len may be a Python int passed by the caller, so the int branch is live")
