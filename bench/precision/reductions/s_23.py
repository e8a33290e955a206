# transformers models/falcon/modeling_falcon.py:484 CA112 `logger.warning_once(...)` in FalconFlashAttention2.forward under
# `if input_dtype == torch.float32:`. With flash attention in PEFT/QLoRA training the layer norms are kept in float32
# (the code's own comment), so the hidden states reach the attention in float32 on every step and the warning is
# traced: transformers' lru_cache-wrapped Logger.warning_once is a logging.Logger method, refused by Dynamo (GB0291).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import functools
import logging

import torch


@functools.lru_cache(None)
def warning_once(self, *args):
    self.warning(*args)


logging.Logger.warning_once = warning_once
logger = logging.getLogger("s_23")


class FlashAttention(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.query_key_value = torch.nn.Linear(8, 8).to(torch.bfloat16)

    def forward(self, hidden_states):
        query_layer = hidden_states * 2
        input_dtype = query_layer.dtype
        if input_dtype == torch.float32:
            target_dtype = self.query_key_value.weight.dtype
            logger.warning_once(
                "The input hidden states seems to be silently casted in float32 ... We will cast back the input in "
                f"{target_dtype}.")
            query_layer = query_layer.to(target_dtype)
        return query_layer


check(FlashAttention(), torch.randn(2, 8))  # float32 hidden states, as after a float32 layer norm
