# Reduces: timm timm/layers/attention.py:285 CA208 (k.repeat_interleave) and :286 CA208 (v.repeat_interleave)
# AttentionRope with num_kv_heads < num_heads (eva.py sapiens2 configs: num_heads=12, num_kv_heads=6 ...):
# K/V heads are copied by repeat_interleave right before F.scaled_dot_product_attention (fused path).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F

B, N, num_heads, num_kv_heads, head_dim = 2, 16, 12, 6, 8  # sapiens2_0.3b: num_heads=12, num_kv_heads=6
num_kv_groups = num_heads // num_kv_heads
q = torch.randn(B, num_heads, N, head_dim)
k = torch.randn(B, num_kv_heads, N, head_dim)
v = torch.randn(B, num_kv_heads, N, head_dim)

# library code (fused_attn path)
k_rep = k.repeat_interleave(num_kv_groups, dim=1)
v_rep = v.repeat_interleave(num_kv_groups, dim=1)
ref = F.scaled_dot_product_attention(q, k_rep, v_rep, attn_mask=None, dropout_p=0.0, is_causal=False)
# suggested replacement: grouped tensors with enable_gqa=True (same head h -> kv head h // groups mapping)
gqa = F.scaled_dot_product_attention(q, k, v, attn_mask=None, dropout_p=0.0, is_causal=False, enable_gqa=True)

claim(num_kv_groups > 1 and k_rep.shape[1] == num_heads and torch.allclose(ref, gqa, atol=1e-5),
      "repeat_interleave materialises 12 K/V heads from 6; SDPA(enable_gqa=True) on the grouped tensors gives the same output")
