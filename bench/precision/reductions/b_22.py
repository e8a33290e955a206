# x_transformers/x_transformers.py CA104 nth 1 (line 4275, `if exists(cache) and input_not_include_cache:`)
# and nth 1 (line 4507, `if should_pred_logits:`) in TransformerWrapper.forward:
# input_not_include_cache = default(arg, self.input_not_include_cache) and should_pred_logits =
# looped_pred_all_logits = default(arg, self.training) are Python bools; cache is a
# LayerIntermediates dataclass or None.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from dataclasses import dataclass


def exists(v):
    return v is not None


def default(v, d):
    return v if exists(v) else d


@dataclass
class LayerIntermediates:
    cache_length: int = 0


class Wrapper(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.input_not_include_cache = True
        self.proj = torch.nn.Linear(8, 8)
        self.to_logits = torch.nn.Linear(8, 11)

    def forward(self, x, cache=None, input_not_include_cache=None, looped_pred_all_logits=None, max_looped_steps=2):
        input_not_include_cache = default(input_not_include_cache, self.input_not_include_cache)
        seq_pos_offset = 0
        if exists(cache) and input_not_include_cache:
            seq_pos_offset = cache.cache_length
        x = x + seq_pos_offset
        looped_pred_all_logits = default(looped_pred_all_logits, self.training)
        all_pred_logits = []
        for i in range(max_looped_steps):
            attended = self.proj(x)
            should_pred_logits = looped_pred_all_logits
            if should_pred_logits:
                all_pred_logits.append(self.to_logits(attended))
            x = attended
        return self.to_logits(x), all_pred_logits


w = Wrapper().train()
check(lambda x: w(x, cache=LayerIntermediates(cache_length=3)), torch.randn(1, 4, 8))
