# diffusers diffusers/models/transformers/transformer_hidream_image.py:376 CA111 nth 2
#   -- the *read* x[flat_topk_idx == i] in the training branch of MOEFeedForwardSwiGLU.forward
# Reduced to one iteration of the expert loop: inside the library's for-loop the same GB0036 break
# ("aten.nonzero output shape depends on data") makes Dynamo skip the whole frame ("graph break in loop"),
# which the harness counter does not record, so the loop is unrolled to one expert here.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

expert = torch.nn.Linear(8, 8)


def moe_train_one_expert(x, flat_topk_idx, i: int):
    wtype = x.dtype
    x = x.repeat_interleave(2, dim=0)
    y = torch.empty_like(x, dtype=wtype)
    y[flat_topk_idx == i] = expert(x[flat_topk_idx == i]).to(dtype=wtype)
    return y


check(moe_train_one_expert, torch.rand(3, 8), torch.tensor([0, 1, 0, 1, 1, 0]), 0, mode="default")
