# vit_pytorch/levjepa.py CA206 nth 1 (line 56, create_block_mask_for called from VideoTransformer.forward)
# and vit_pytorch/levjepa_nd.py CA206 nth 1 (line 316, NDTransformer.forward): the block mask is built
# once per forward (not per layer; the transformer receives it) and nothing compiles these forwards. Its
# mask_mod closes over frame_idx / coords_raw AFTER the random token dropping of training (drop_ratio
# 0.95 by default in the learners), so its inputs change every forward and cannot be hoisted out: the
# "rebuilt with unchanged inputs" claim fails.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from torch.nn.attention.flex_attention import create_block_mask


def encoder_mask_inputs(batch, tm, hm, wm, dim, drop_ratio):
    x = torch.randn(batch, 1 + tm * hm * wm, dim)
    frame_idx = torch.cat((torch.full((1,), -1), torch.arange(tm).repeat_interleave(hm * wm)))
    frame_idx = frame_idx[None].expand(batch, -1)
    total_tokens = x.shape[1] - 1
    num_keep = max(1, int(total_tokens * (1 - drop_ratio)))
    patch_indices = torch.rand(batch, total_tokens).topk(num_keep, dim = -1).indices + 1
    indices = torch.cat((torch.zeros(batch, 1, dtype = patch_indices.dtype), patch_indices), dim = 1)
    return torch.gather(frame_idx, 1, indices)


def build(frame_idx, heads):
    def block_fn(b, h, q_idx, kv_idx):
        query_frame = frame_idx[b, q_idx]
        key_frame = frame_idx[b, kv_idx]
        return (query_frame == -1) | ((key_frame >= 0) & (query_frame >= key_frame))
    seq_len = frame_idx.shape[1]
    return create_block_mask(block_fn, frame_idx.shape[0], heads, seq_len, seq_len, device = 'cpu')


f1 = encoder_mask_inputs(2, 8, 6, 6, 16, 0.95)
f2 = encoder_mask_inputs(2, 8, 6, 6, 16, 0.95)
m1, m2 = build(f1, 4), build(f2, 4)
same = torch.equal(f1, f2) and torch.equal(m1.to_dense(), m2.to_dense())
claim(same, "mask_mod inputs identical across two training forwards: %s" % same)
