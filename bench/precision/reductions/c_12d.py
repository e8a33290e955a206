# Default mode (CA103's claim for integer tensors is GB0033 without fullgraph=True): the same reduction as c_12.py
# Reduces: diffusers diffusers/models/transformers/transformer_nucleusmoe_image.py:430 CA103 (num_tokens_per_expert.tolist())
# _run_experts_for_loop: num_tokens_per_expert is built with torch.full(..., dtype=torch.long) -> integer .tolist(),
# which fullgraph=True captures as SymInts; the split/matmul loop that consumes them compiles too.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F

num_experts, hidden, inter = 4, 8, 8
gate_up_proj = torch.randn(num_experts, hidden, 2 * inter)
down_proj = torch.randn(num_experts, inter, hidden)

def run_experts_for_loop(x, num_tokens_per_expert):
    num_tokens_per_expert_list = num_tokens_per_expert.tolist()
    num_real_tokens = sum(num_tokens_per_expert_list)
    num_padding = x.shape[0] - num_real_tokens
    x_per_expert = torch.split(x[:num_real_tokens], split_size_or_sections=num_tokens_per_expert_list, dim=0)
    expert_outputs = []
    for expert_idx, x_expert in enumerate(x_per_expert):
        gate_up = torch.matmul(x_expert, gate_up_proj[expert_idx])
        gate, up = gate_up.chunk(2, dim=-1)
        expert_outputs.append(torch.matmul(F.silu(gate) * up, down_proj[expert_idx]))
    out = torch.cat(expert_outputs, dim=0)
    return torch.vstack((out, out.new_zeros((num_padding, out.shape[-1]))))

bs, capacity = 2, 3
num_tokens_per_expert = torch.full((num_experts,), bs * capacity, dtype=torch.long)
check(run_experts_for_loop, torch.randn(num_experts * bs * capacity, hidden), num_tokens_per_expert, mode="default")
