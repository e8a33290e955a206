# g_15: transformers_holdout models/deepseek_v3/modeling_deepseek_v3.py:184 CA110 (.nonzero()),
#       :188 CA104 (`if expert_idx == self.num_experts:`), :190 CA110 (torch.where(expert_mask[expert_idx]))
# DeepseekV3Experts is decorated with @use_experts_implementation: its forward is replaced by
# ALL_EXPERTS_FUNCTIONS.get_interface(config._experts_implementation, original_forward), and
# PreTrainedModel.__init__ sets config._experts_implementation to get_correct_experts_implementation(None) =
# "grouped_mm" (transformers 5.x, integrations/moe.py + modeling_utils.py). The eager loop with nonzero / the
# tensor `if` / torch.where only runs if the user explicitly asks for experts_implementation="eager".
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn as nn

called = {"eager": 0}


def grouped_mm_experts_forward(self, hidden_states, top_k_index, top_k_weights):  # loop-free stand-in
    num_top_k = top_k_index.size(-1)
    expert_ids = top_k_index.reshape(-1)
    token_idx = torch.arange(hidden_states.size(0)).repeat_interleave(num_top_k)
    gate, up = torch.bmm(self.gate_up_proj[expert_ids], hidden_states[token_idx].unsqueeze(-1)).squeeze(-1).chunk(2, -1)
    out = torch.bmm(self.down_proj[expert_ids], (torch.nn.functional.silu(gate) * up).unsqueeze(-1)).squeeze(-1)
    out = out * top_k_weights.reshape(-1, 1)
    return out.view(hidden_states.size(0), num_top_k, -1).sum(1)


ALL_EXPERTS_FUNCTIONS = {"grouped_mm": grouped_mm_experts_forward}


class Config:
    _experts_implementation = None


def get_correct_experts_implementation(requested):  # modeling_utils.py: class carries @use_experts_implementation
    return "grouped_mm" if requested is None else requested


class DeepseekV3Experts(nn.Module):
    def __init__(self, config, num_experts=4, hidden=8, inter=6):
        super().__init__()
        self.config, self.num_experts = config, num_experts
        self.gate_up_proj = nn.Parameter(torch.randn(num_experts, 2 * inter, hidden))
        self.down_proj = nn.Parameter(torch.randn(num_experts, hidden, inter))

    def original_forward(self, hidden_states, top_k_index, top_k_weights):
        called["eager"] += 1
        final_hidden_states = torch.zeros_like(hidden_states)
        with torch.no_grad():
            expert_mask = torch.nn.functional.one_hot(top_k_index, num_classes=self.num_experts + 1)
            expert_mask = expert_mask.permute(2, 1, 0)
            expert_hit = torch.greater(expert_mask.sum(dim=(-1, -2)), 0).nonzero()
        for expert_idx in expert_hit:
            expert_idx = expert_idx[0]
            if expert_idx == self.num_experts:
                continue
            top_k_pos, token_idx = torch.where(expert_mask[expert_idx])
            final_hidden_states.index_add_(0, token_idx, hidden_states[token_idx] * top_k_weights[token_idx, top_k_pos, None])
        return final_hidden_states

    def forward(self, *args):  # what use_experts_implementation installs
        impl = self.config._experts_implementation
        fn = ALL_EXPERTS_FUNCTIONS.get(impl, DeepseekV3Experts.original_forward) if impl != "eager" else DeepseekV3Experts.original_forward
        return fn(self, *args)


config = Config()
config._experts_implementation = get_correct_experts_implementation(config._experts_implementation)  # PreTrainedModel.__init__
experts = DeepseekV3Experts(config)
w, idx = torch.topk(torch.randn(6, 4).softmax(-1), 2)
torch.compile(experts, backend="eager")(torch.randn(6, 8), idx, w)
print("experts implementation:", config._experts_implementation, "| eager experts loop calls:", called["eager"])
claim(called["eager"] > 0, "scope: the eager experts loop (nonzero / tensor if / torch.where) is not what runs by default")
