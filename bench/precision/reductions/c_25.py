# Reduces: transformers models/mixtral/modeling_mixtral.py:79 and :85 CA110 (.nonzero() / torch.where(expert_mask[expert_idx])),
#          models/mixtral/modular_mixtral.py:149 and :155 CA110 (same code in the modular source)
# MixtralExperts is decorated with @use_experts_implementation: its forward dispatches to
# ALL_EXPERTS_FUNCTIONS[config._experts_implementation] unless that is "eager", and
# PreTrainedModel.get_correct_experts_implementation(None) returns "grouped_mm" for this class, so the eager loop
# with nonzero/where is not what runs by default. modular_mixtral.py is a code-generation source, never imported.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

called = {"eager": 0}

def grouped_mm_experts_forward(self, hidden_states, top_k_index, top_k_weights):  # loop-free stand-in
    token_idx = torch.arange(hidden_states.size(0)).unsqueeze(1).expand(-1, top_k_index.size(-1)).reshape(-1)
    expert_ids = top_k_index.reshape(-1)
    out = torch.bmm(self.w[expert_ids], hidden_states[token_idx].unsqueeze(-1)).squeeze(-1)
    out = out * top_k_weights.reshape(-1, 1)
    return out.view(hidden_states.size(0), -1, hidden_states.size(1)).sum(1)

ALL_EXPERTS_FUNCTIONS = {"grouped_mm": grouped_mm_experts_forward}

class Config:
    _experts_implementation = None

def get_correct_experts_implementation(requested):  # modeling_utils.py:1893, class has @use_experts_implementation
    return "grouped_mm" if requested is None else requested

class MixtralExperts(torch.nn.Module):
    def __init__(self, config, num_experts=4, dim=8):
        super().__init__()
        self.config, self.num_experts = config, num_experts
        self.w = torch.nn.Parameter(torch.randn(num_experts, dim, dim))
    def eager_forward(self, hidden_states, top_k_index, top_k_weights):
        called["eager"] += 1
        expert_mask = torch.nn.functional.one_hot(top_k_index, num_classes=self.num_experts + 1).permute(2, 1, 0)
        expert_hit = torch.greater(expert_mask.sum(dim=(-1, -2)), 0).nonzero()
        return hidden_states
    def forward(self, *args):  # what use_experts_implementation installs
        impl = self.config._experts_implementation
        if impl != "eager":
            return ALL_EXPERTS_FUNCTIONS[impl](self, *args)
        return self.eager_forward(*args)

config = Config()
config._experts_implementation = get_correct_experts_implementation(config._experts_implementation)
experts = MixtralExperts(config)
router = torch.randn(6, 4).softmax(-1)
w, idx = torch.topk(router, 2)
torch.compile(experts, backend="eager")(torch.randn(6, 8), idx, w)
print("experts implementation:", config._experts_implementation, "| eager forward calls:", called["eager"])
claim(called["eager"] > 0, "the eager experts loop (nonzero / torch.where) is traced in default use")
