# e_29: transformers transformers/models/modernbert/modeling_modernbert.py:143 and :144
# (CA107 getattr(self, f"{layer_type}_inv_freq") / f"{layer_type}_attention_scaling")
# layer_type is a str from config.layer_types ("full_attention" / "sliding_attention") passed by
# ModernBertModel.forward; the f-string is a constant attribute name, not tensor formatting.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn as nn


class RotaryEmbedding(nn.Module):
    def __init__(self, layer_types=("full_attention", "sliding_attention"), dim=16):
        super().__init__()
        self.layer_types = sorted(set(layer_types))
        for layer_type in self.layer_types:
            inv_freq = 1.0 / (10000.0 ** (torch.arange(0, dim, 2, dtype=torch.float) / dim))
            self.register_buffer(f"{layer_type}_inv_freq", inv_freq, persistent=False)
            setattr(self, f"{layer_type}_attention_scaling", 1.0)

    def forward(self, x, position_ids, layer_type):
        inv_freq = getattr(self, f"{layer_type}_inv_freq")
        attention_scaling = getattr(self, f"{layer_type}_attention_scaling")
        freqs = position_ids[..., None].float() * inv_freq.to(device=x.device, dtype=torch.float)
        emb = torch.cat((freqs, freqs), dim=-1)
        return (emb.cos() * attention_scaling).to(x.dtype), (emb.sin() * attention_scaling).to(x.dtype)


def model_forward(rotary_emb, hidden_states, position_ids):
    position_embeddings = {}
    for layer_type in ("full_attention", "sliding_attention"):
        position_embeddings[layer_type] = rotary_emb(hidden_states, position_ids, layer_type)
    return position_embeddings


check(model_forward, RotaryEmbedding(), torch.randn(1, 6, 32), torch.arange(6)[None])
