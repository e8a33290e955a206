# vit_pytorch na_vit_nested_tensor.py:245 and na_vit_nested_tensor_3d.py:260 (CA143)
# `keep_indices = torch.randn((seq_len,), device = device).topk(num_keep, dim = -1).indices`: with token dropout
# (token_dropout_prob, a documented option, applied in training) seq_len and num_keep come from iterating the
# seq_lens / keep_seq_lens tensors, so they are 0-d tensors used as a size and as k: Python needs ints, the values
# are read (GB0124), a graph break in plain torch.compile.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def token_dropout(tokens, seq_lens, token_dropout_prob=0.25):
    keep_seq_lens = ((1. - token_dropout_prob) * seq_lens).int().clamp(min=1)
    kept = []
    for one_image_tokens, seq_len, num_keep in zip(tokens, seq_lens, keep_seq_lens):
        keep_indices = torch.randn((seq_len,)).topk(num_keep, dim=-1).indices
        kept.append(one_image_tokens[keep_indices])
    return kept


check(token_dropout, [torch.randn(6, 4), torch.randn(6, 4)], torch.tensor([6, 6]), mode="default")
