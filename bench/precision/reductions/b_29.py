# transformers/models/mixtral/modeling_mixtral.py CA104 nth 1 (line 83) and modular_mixtral.py nth 1
# (line 153), MixtralExperts.forward (the experts_implementation="eager" path):
# `for expert_idx in expert_hit: expert_idx = expert_idx[0]; if expert_idx == self.num_experts:` -
# expert_hit comes from .nonzero(), so expert_idx is a 0-d LongTensor and the comparison with the int
# num_experts is a data-dependent branch. (Under fullgraph the preceding .nonzero() already fails; with
# plain compile Dynamo breaks there and then again at this line in the resumed frame. The reduction
# starts from expert_hit to isolate the flagged line.)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from torch import nn


class MixtralExperts(nn.Module):
    def __init__(self, num_experts=4, hidden=8, inter=16):
        super().__init__()
        self.num_experts = num_experts
        self.gate_up_proj = nn.Parameter(torch.randn(num_experts, 2 * inter, hidden))
        self.down_proj = nn.Parameter(torch.randn(num_experts, hidden, inter))
        self.act_fn = nn.SiLU()

    def forward(self, hidden_states, expert_mask, expert_hit, top_k_weights):
        final_hidden_states = torch.zeros_like(hidden_states)
        for expert_idx in expert_hit:
            expert_idx = expert_idx[0]
            if expert_idx == self.num_experts:
                continue
            top_k_pos, token_idx = torch.where(expert_mask[expert_idx])
            current_state = hidden_states[token_idx]
            gate, up = nn.functional.linear(current_state, self.gate_up_proj[expert_idx]).chunk(2, dim=-1)
            current_hidden_states = self.act_fn(gate) * up
            current_hidden_states = nn.functional.linear(current_hidden_states, self.down_proj[expert_idx])
            current_hidden_states = current_hidden_states * top_k_weights[token_idx, top_k_pos, None]
            final_hidden_states.index_add_(0, token_idx, current_hidden_states.to(final_hidden_states.dtype))
        return final_hidden_states


m = MixtralExperts()
top_k_index = torch.tensor([[0, 2], [2, 3], [0, 3]])
top_k_weights = torch.rand(3, 2)
expert_mask = torch.nn.functional.one_hot(top_k_index, num_classes=m.num_experts + 1).permute(2, 1, 0)
expert_hit = torch.greater(expert_mask.sum(dim=(-1, -2)), 0).nonzero()
check(m, torch.randn(3, 8), expert_mask, expert_hit, top_k_weights)
