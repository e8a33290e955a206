# diffusers/models/transformers/transformer_qwenimage21.py CA106 nth 1 (line 967, QwenImage21Transformer2DModel
# .forward): target_token_mask is the bool (seq_len,) Tensor from build_token_metadata; int((~mask).sum()) is an
# implicit .item() on every forward: plain torch.compile breaks (GB0124).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def prefix(hidden, target_token_mask):
    prefix_len = int((~target_token_mask).sum())
    return hidden[:, prefix_len:]


check(prefix, torch.randn(1, 7, 4), torch.tensor([False, False, False, True, True, True, True]), mode="default")
