# Reduces: diffusers models/transformers/transformer_hidream_image.py:389 CA110 (flat_expert_indices.bincount())
# MoEFeedForward.moe_infer, the inference path of forward (not self.training): the expert indices
# are an int64 Tensor from the gate's topk; bincount's output length depends on the data.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def moe_infer(x, flat_expert_indices, num_activated_experts=2):
    idxs = flat_expert_indices.argsort()
    tokens_per_expert = flat_expert_indices.bincount().cpu().numpy().cumsum(0)
    token_idxs = idxs // num_activated_experts
    return x[token_idxs], tokens_per_expert


check(moe_infer, torch.randn(8, 4), torch.randint(0, 4, (16,)), mode="default")
