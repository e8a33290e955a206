# e_07: timm timm/layers/attention_pool2d.py:162 (CA101 isinstance(rope, tuple))
# rope = self.pos_embed.get_embed((H, W)); pos_embed = create_rope_embed(rope_type=...).
# rope_type='cat' -> RotaryEmbeddingCat.get_embed returns a Tensor, but rope_type='base' ->
# RotaryEmbedding.get_embed returns a (sin, cos) tuple, which is exactly what the branch handles.
# (The torch.cat named by the linter is the rebinding *inside* the branch, not the tested value.)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn as nn


class RotaryEmbedding(nn.Module):  # reduced timm RotaryEmbedding (rope_type='base'), bands mode
    def __init__(self, dim):
        super().__init__()
        self.register_buffer('bands', torch.linspace(1.0, 8.0, dim // 4), persistent=False)

    def get_embed(self, shape):
        H, W = shape
        grid = torch.stack(torch.meshgrid(torch.arange(H), torch.arange(W), indexing='ij'), -1).flatten(0, 1)
        pos = (grid.unsqueeze(-1).float() * self.bands).flatten(1).repeat_interleave(2, -1)
        return pos.sin(), pos.cos()        # Tuple[Tensor, Tensor]


class RotaryEmbeddingCat(RotaryEmbedding):  # rope_type='cat'
    def get_embed(self, shape):
        return torch.cat(super().get_embed(shape), -1)


def create_rope_embed(rope_type, dim):
    return {'base': RotaryEmbedding, 'cat': RotaryEmbeddingCat}[rope_type](dim)


pos_embed = create_rope_embed('base', 64)   # RotAttentionPool2d(..., rope_type='base')
rope = pos_embed.get_embed((7, 7))
print("rope type with rope_type='base':", type(rope).__name__)
claim(isinstance(rope, torch.Tensor) and not isinstance(rope, tuple),
      "rope is a (sin, cos) tuple for rope_type='base', so the isinstance(rope, tuple) branch is live")
