# Reduces: diffusers diffusers/models/transformers/transformer_bria_fibo2.py:578 CA103
# (text_lengths = encoder_attention_mask.sum(dim=1).tolist())
# BriaFibo2Transformer2DModel.forward: with a batch of prompts padded to the longest, the pipeline passes the bool
# tokenizer mask (it is only dropped to None when every token is valid); its sum is an int64 Tensor and the integer
# .tolist() breaks plain torch.compile (data-dependent operator), as CA103 claims for integer tensors.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import math
import torch


def compute_gist_count(text_lengths, min_gist, max_gist, gist_step, min_text_len, max_text_len):
    span = max_text_len - min_text_len
    counts = []
    for n in text_lengths:
        ratio = min(1.0, max(0.0, (float(n) - min_text_len) / span))
        raw = min_gist + ratio * (max_gist - min_gist)
        quantized = int(math.ceil(raw / gist_step)) * gist_step
        counts.append(max(min_gist, min(max_gist, quantized)))
    return counts


def gist_part(encoder_hidden_states, encoder_attention_mask):
    batch_size = encoder_hidden_states.shape[0]
    if encoder_attention_mask is not None:
        text_lengths = encoder_attention_mask.sum(dim=1).tolist()
    else:
        text_lengths = [encoder_hidden_states.shape[2]] * batch_size
    gist_counts = compute_gist_count(text_lengths, 4, 64, 4, 16, 512)
    num_gist_tokens = max(gist_counts)
    gist_mask = None
    if min(gist_counts) < num_gist_tokens:
        gist_mask = torch.arange(num_gist_tokens) < torch.tensor(gist_counts)[:, None]
    return encoder_hidden_states[:, 0].mean(1, keepdim=True).expand(-1, num_gist_tokens, -1), gist_mask


mask = torch.ones(2, 40, dtype=torch.bool)
mask[1, 25:] = False  # two prompts of different length, padding="longest"
check(gist_part, torch.randn(2, 3, 40, 8), mask, mode="default")
