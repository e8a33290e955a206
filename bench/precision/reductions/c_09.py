# Reduces: diffusers diffusers/models/attention_processor.py:3068 CA208 (value = torch.repeat_interleave(...) in StableAudioAttnProcessor2_0)
# StableAudioDiTModel cross-attention: num_attention_heads=24, num_key_value_attention_heads=12 (defaults),
# so kv_heads != attn.heads and K/V are copied by repeat_interleave right before F.scaled_dot_product_attention.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F

B, Lq, Lk, heads, kv_heads, head_dim = 2, 16, 10, 24, 12, 8
query = torch.randn(B, heads, Lq, head_dim)
key = torch.randn(B, kv_heads, Lk, head_dim)
value = torch.randn(B, kv_heads, Lk, head_dim)

heads_per_kv_head = heads // kv_heads
key_rep = torch.repeat_interleave(key, heads_per_kv_head, dim=1, output_size=key.shape[1] * heads_per_kv_head)
value_rep = torch.repeat_interleave(value, heads_per_kv_head, dim=1, output_size=value.shape[1] * heads_per_kv_head)
ref = F.scaled_dot_product_attention(query, key_rep, value_rep, attn_mask=None, dropout_p=0.0, is_causal=False)
gqa = F.scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, enable_gqa=True)
claim(kv_heads != heads and torch.allclose(ref, gqa, atol=1e-5),
      "K/V heads 12 -> 24 copied by repeat_interleave; SDPA(enable_gqa=True) on the 12-head tensors gives the same result")
