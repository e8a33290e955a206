# diffusers diffusers/models/transformers/transformer_hidream_image.py:376 CA111 nth 1
#   -- the *store* y[flat_topk_idx == i] = ... (training branch of MOEFeedForwardSwiGLU.forward)
# A boolean-mask store lowers to index_put_ and does not graph-break by itself; the break on this line
# comes from the read x[flat_topk_idx == i] (nth 2, see d_11.py).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def moe_store(y, flat_topk_idx, expert_out, i: int):
    y[flat_topk_idx == i] = expert_out.to(dtype=y.dtype)
    return y


flat_topk_idx = torch.tensor([0, 1, 0, 1, 1, 0])
check(moe_store, torch.empty(6, 8), flat_topk_idx, torch.rand(3, 8), 0, mode="default")
