# diffusers/models/transformers/transformer_wan_animate_2.py CA102 nth 1 (line 849, WanAnimate2Transformer3DModel
# .forward): the default config refer_offset_w=-1 resolves the offset from the reference grid on every call;
# offset_grid_sizes / reference_grid_sizes are int64 (B, 3) grid Tensors (required under kv_cache_mode
# "extract"/"cached"), and reference_grid[0][axis].item() breaks plain torch.compile (GB0124).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


class Cfg:
    refer_offset_t, refer_offset_h, refer_offset_w = 1, 0, -1


def offsets(x, offset_grid_sizes, reference_grid_sizes, kv_cache_mode, config=Cfg):
    reference_grid = offset_grid_sizes if kv_cache_mode == "extract" else reference_grid_sizes
    refer_offsets = tuple(
        offset if offset >= 0 else reference_grid[0][axis].item()
        for axis, offset in enumerate((config.refer_offset_t, config.refer_offset_h, config.refer_offset_w))
    )
    return x * refer_offsets[2]


grid = torch.tensor([[2, 4, 6]], dtype=torch.long)
check(offsets, torch.randn(3), grid, None, "extract", mode="default")
