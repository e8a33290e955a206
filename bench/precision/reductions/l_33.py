# kornia/models/paligemma/modeling_paligemma.py CA208 nth 1 (line 210, k) and nth 1 (line 211, v),
# GemmaAttention.forward: PaliGemmaConfig's defaults (the PaliGemma text model) are 8 attention heads and 1
# key/value head, so num_key_value_groups = 8 and repeat_interleave materialises 8 copies of K and V right before
# F.scaled_dot_product_attention (with attn_mask). SDPA(enable_gqa=True) on the grouped tensors gives the same
# output without the copies.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F

B, N, num_heads, num_kv_heads, head_dim = 2, 16, 8, 1, 32  # PaliGemmaConfig: 8 heads, 1 kv head (head_dim 256)
groups = num_heads // num_kv_heads
q = torch.randn(B, num_heads, N, head_dim)
k = torch.randn(B, num_kv_heads, N, head_dim)
v = torch.randn(B, num_kv_heads, N, head_dim)
mask = torch.randn(B, 1, N, N)

k_rep = torch.repeat_interleave(k, dim=1, repeats=groups)
v_rep = torch.repeat_interleave(v, dim=1, repeats=groups)
ref = F.scaled_dot_product_attention(q, k_rep, v_rep, attn_mask=mask, dropout_p=0.0, is_causal=False)
gqa = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=0.0, is_causal=False, enable_gqa=True)

claim(groups > 1 and k_rep.shape[1] == num_heads and torch.allclose(ref, gqa, atol=1e-5),
      "repeat_interleave materialises 8 K/V heads from 1; SDPA(enable_gqa=True) on the grouped tensors gives the same output")
