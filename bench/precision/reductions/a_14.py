# litgpt/model.py:1280 CA102: max_pos = input_pos.max().item() in KVCache.forward, sliding-window branch
# (is_sliding_window, e.g. Gemma/Mistral local layers). input_pos is the position Tensor passed to the model, so
# .item() graph-breaks in plain torch.compile of the decoding step (litgpt compiles generate's forward).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def batched_index_copy_(t, dim, idx, val):
    return t.index_copy_(dim, idx, val)


def kv_update(k_buf, input_pos, k, max_cache_len: int):
    cache_positions = input_pos % max_cache_len
    k = batched_index_copy_(k_buf[:1, ...], -2, cache_positions, k)
    max_pos = input_pos.max().item()
    if max_pos < max_cache_len:
        k = k[:, :, : max_pos + 1, :]
    return k


check(kv_update, torch.zeros(1, 2, 8, 4), torch.tensor([3]), torch.randn(1, 2, 1, 4), 8, mode="default")
