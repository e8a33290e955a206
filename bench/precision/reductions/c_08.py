# Reduces: diffusers diffusers/models/attention_dispatch.py:3674 CA207 (flex_attention.flex_attention(...) in _native_flex_attention)
# The "flex" backend function is plain eager code: nothing in attention_dispatch compiles it, and pipelines
# (e.g. QwenImage 2.1, Kandinsky 6 SR, AnyFlow FAR, which pin backend="flex") run the transformer uncompiled
# unless the user compiles it -- transformer_kandinsky6_sr.py even warns about this eager fallback.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import warnings
import torch
import torch.nn.attention.flex_attention as flex_attention

def _native_flex_attention(query, key, value, attn_mask=None, scale=None, enable_gqa=False, return_lse=False):
    block_mask = attn_mask  # None or a BlockMask
    query, key, value = (x.permute(0, 2, 1, 3) for x in (query, key, value))
    out = flex_attention.flex_attention(query=query, key=key, value=value, score_mod=None, block_mask=block_mask,
                                        scale=scale, enable_gqa=enable_gqa, return_lse=return_lse, kernel_options=None)
    return out.permute(0, 2, 1, 3)

q = torch.randn(1, 128, 2, 16)  # (B, L, H, D) as dispatch_attention_fn passes it
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    _native_flex_attention(q, q, q)
msgs = [str(x.message).splitlines()[0] for x in w]
print(msgs)
claim(any("without torch.compile" in m and "unfused" in m for m in msgs),
      "called from uncompiled pipeline code, flex_attention takes the unfused path that materialises the score matrix")
