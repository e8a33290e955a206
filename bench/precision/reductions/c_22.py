# Reduces: litgpt litgpt/model.py:879 CA110 (token_idx, expert_idx = torch.where(mask) in LLaMAMoE.forward)
# mask is a bool (B*T, n_expert_per_token) slice of `indices.unsqueeze(-1) == arange(n_expert)`; single-argument
# torch.where is nonzero with a data-dependent size -> graph break in default torch.compile.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

n_expert, n_expert_per_token, C = 4, 2, 8
expert = torch.nn.Linear(C, C)

def moe_one_expert(x, router):
    probs, indices = torch.topk(router, n_expert_per_token)
    probs = probs.softmax(dim=1, dtype=torch.float).to(dtype=x.dtype)
    masks = (indices.unsqueeze(-1) == torch.arange(n_expert)).permute(2, 0, 1)
    y = torch.zeros_like(x)
    mask = masks[0]
    token_idx, expert_idx = torch.where(mask)
    y[token_idx] += probs[token_idx, expert_idx, None] * expert(x[token_idx])
    return y

check(moe_one_expert, torch.randn(10, C), torch.randn(10, n_expert), mode="default")
