# Default mode (CA103's claim for integer tensors is GB0033 without fullgraph=True): the same reduction as c_11.py
# Reduces: diffusers diffusers/models/transformers/transformer_lumina2.py:273 CA103 (attention_mask.sum(dim=1).tolist())
# Lumina2RotaryPosEmbed.forward: attention_mask is the tokenizer mask (int64), so .sum(dim=1) is an int64 Tensor;
# integer .tolist() gives unbacked SymInts under fullgraph=True, and the position-id construction that uses them compiles.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

def rope_positions(hidden_states, attention_mask, p=2):
    batch_size, channels, height, width = hidden_states.shape
    post_patch_height, post_patch_width = height // p, width // p
    image_seq_len = post_patch_height * post_patch_width
    l_effective_cap_len = attention_mask.sum(dim=1).tolist()
    seq_lengths = [cap_seq_len + image_seq_len for cap_seq_len in l_effective_cap_len]
    max_seq_len = max(seq_lengths)
    position_ids = torch.zeros(batch_size, max_seq_len, 3, dtype=torch.int32)
    for i, (cap_seq_len, seq_len) in enumerate(zip(l_effective_cap_len, seq_lengths)):
        position_ids[i, :cap_seq_len, 0] = torch.arange(cap_seq_len, dtype=torch.int32)
        position_ids[i, cap_seq_len:seq_len, 0] = cap_seq_len
    return position_ids

mask = torch.ones(2, 12, dtype=torch.int64); mask[1, 7:] = 0
check(rope_positions, torch.randn(2, 4, 8, 8), mask, mode="default")
