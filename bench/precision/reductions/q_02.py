# diffusers/models/transformers/transformer_joyimage.py CA102 nth 1 (line 493,
# JoyImageEditTransformer3DModel.get_rotary_pos_embed, called by forward every step): with the config option
# rope_type="mrope" forward passes txt_rope_size=txt_seq_len, and grid.view(-1).max().item() reads the largest visual
# position of the float32 meshgrid built in the graph: .item() breaks plain torch.compile (GB0124). (With the default
# rope_type="rope" the line is not reached.)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def get_rotary_pos_embed(vis_rope_size, txt_rope_size, rope_dim_list=(8, 12, 12), theta=256):
    grid = torch.stack(
        torch.meshgrid(*[torch.linspace(0, s, s + 1, dtype=torch.float32)[:s] for s in vis_rope_size], indexing="ij"),
        dim=0,
    )
    if txt_rope_size is None:
        return grid, None
    grid_txt = torch.arange(txt_rope_size) + grid.view(-1).max().item() + 1
    freqs = 1.0 / (theta ** (torch.arange(0, rope_dim_list[0], 2, dtype=torch.float32) / rope_dim_list[0]))
    return grid, torch.outer(grid_txt.float(), freqs)


def forward(hidden_states, txt, rope_type="mrope"):
    b, c, t, h, w = hidden_states.shape
    vis, txt_freqs = get_rotary_pos_embed([t, h // 2, w // 2], txt.shape[1] if rope_type == "mrope" else None)
    return vis, txt_freqs


check(forward, torch.randn(1, 4, 1, 8, 8), torch.randn(1, 6, 16), mode="default")
