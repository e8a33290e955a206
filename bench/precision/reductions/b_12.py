# diffusers/pipelines/kolors/text_encoder.py CA104 nth 1 (line 571, GLMTransformer.forward):
# `if not kv_caches:` - kv_caches is past_key_values: None (Kolors pipeline's normal call) or a
# tuple of tensors (prefix-tuning get_prompt(...).split(2)); truthiness of None/tuple is static.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


class GLMTransformer(torch.nn.Module):
    def __init__(self, num_layers=2):
        super().__init__()
        self.num_layers = num_layers
        self.layers = torch.nn.ModuleList([torch.nn.Linear(8, 8) for _ in range(num_layers)])

    def forward(self, hidden_states, kv_caches=None, use_cache=True):
        if not kv_caches:
            kv_caches = [None for _ in range(self.num_layers)]
        presents = () if use_cache else None
        for index in range(self.num_layers):
            kv = kv_caches[index]
            hidden_states = self.layers[index](hidden_states) + (0 if kv is None else kv.mean())
            if use_cache:
                presents = presents + ((hidden_states, hidden_states),)
        return hidden_states, presents


m = GLMTransformer()


def both(h, prefix):
    out_none = m(h, None)[0]  # normal Kolors use: past_key_values=None
    out_prefix = m(h, prefix.split(1))[0]  # prefix-tuning: tuple of tensors
    return out_none + out_prefix


check(both, torch.randn(4, 1, 8), torch.randn(2, 3))
