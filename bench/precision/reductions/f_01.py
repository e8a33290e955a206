# f_01: peft peft/peft_model.py:881 (CA113 warnings.warn in PeftModel.get_prompt, prefix tuning on
# gemma2/gemma3/gemma4 models). get_prompt runs inside PeftModelForCausalLM.forward on every call.
# skipped_layers is a Python list filled from the model config (num_kv_shared_layers > 0 for KV-shared
# Gemma layers), so for such a model it is non-empty on every forward and the warn is traced.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import warnings
import torch
import torch.nn as nn


class Cache:  # stands in for transformers.DynamicCache (layer-indexed list of K/V)
    def __init__(self):
        self.layers = {}

    def update(self, k, v, layer_idx, cache_kwargs=None):
        self.layers[layer_idx] = (k, v)


class PrefixPrompt(nn.Module):
    def __init__(self, num_layers=4, heads=2, head_dim=4, n_virtual=3, num_kv_shared_layers=1):
        super().__init__()
        self.num_layers, self.heads, self.head_dim, self.n_virtual = num_layers, heads, head_dim, n_virtual
        self.embedding = nn.Embedding(n_virtual, num_layers * 2 * heads * head_dim)
        self.num_kv_shared_layers = num_kv_shared_layers  # int from base_config
        self.num_hidden_layers = num_layers

    def forward(self, prompt_tokens):
        batch_size = prompt_tokens.shape[0]
        past_key_values = self.embedding(prompt_tokens)
        past_key_values = past_key_values.view(batch_size, self.n_virtual, self.num_layers * 2, self.heads, self.head_dim)
        past_key_values = past_key_values.permute([2, 0, 3, 1, 4]).split(2)
        new_cache = Cache()
        cache_position = torch.arange(self.n_virtual)
        num_kv_shared_layers = self.num_kv_shared_layers
        first_kv_shared_layer_idx = self.num_hidden_layers - num_kv_shared_layers
        injected_layers: list[int] = []
        skipped_layers: list[int] = []
        for layer_idx, layer_past_key_values in enumerate(past_key_values):
            if num_kv_shared_layers > 0 and layer_idx >= first_kv_shared_layer_idx:
                skipped_layers.append(layer_idx)
                continue
            key_states, value_states = layer_past_key_values
            new_cache.update(key_states, value_states, layer_idx, cache_kwargs={"cache_position": cache_position})
            injected_layers.append(layer_idx)
        if skipped_layers:
            warnings.warn(
                f"Prefix tuning injected into layers {injected_layers}; skipped {skipped_layers} due to KV "
                "shape mismatch or shared-KV layers."
            )
        return new_cache.layers[0][0]


check(PrefixPrompt(), torch.arange(3).unsqueeze(0).expand(2, -1))
