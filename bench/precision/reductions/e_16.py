# e_16: diffusers diffusers/models/transformers/transformer_bria.py:93 (CA101 isinstance(pos, int))
# The module-local get_1d_rotary_pos_embed is only called by BriaEmbedND / BriaPosEmbed.forward with
# pos = ids.float()[:, i], a Tensor, so `isinstance(pos, int)` (and the np.ndarray check) are dead there.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

seen = []


def get_1d_rotary_pos_embed(dim, pos, theta=10000.0, use_real=False, repeat_interleave_real=True,
                            freqs_dtype=torch.float32):
    seen.append(pos)
    if isinstance(pos, int):
        pos = torch.arange(pos)
    freqs = 1.0 / (theta ** (torch.arange(0, dim, 2, dtype=freqs_dtype, device=pos.device)[: (dim // 2)] / dim))
    freqs = torch.outer(pos, freqs)
    return freqs.cos().repeat_interleave(2, dim=1).float(), freqs.sin().repeat_interleave(2, dim=1).float()


class BriaEmbedND(torch.nn.Module):
    def __init__(self, theta, axes_dim):
        super().__init__()
        self.theta, self.axes_dim = theta, axes_dim

    def forward(self, ids):
        n_axes = ids.shape[-1]
        pos = ids.float()
        cos_out, sin_out = [], []
        for i in range(n_axes):
            cos, sin = get_1d_rotary_pos_embed(self.axes_dim[i], pos[:, i], theta=self.theta,
                                               repeat_interleave_real=True, use_real=True,
                                               freqs_dtype=torch.float64)
            cos_out.append(cos)
            sin_out.append(sin)
        return torch.cat(cos_out, -1), torch.cat(sin_out, -1)


BriaEmbedND(10000, [16, 56, 56])(torch.zeros(64, 3))
print("pos types:", {type(p).__name__ for p in seen})
claim(all(isinstance(p, torch.Tensor) and not isinstance(p, int) for p in seen),
      "every caller in transformer_bria passes pos = ids.float()[:, i], a Tensor: the int branch is dead")
