# timm/models/naflexvit.py CA127 nth 1 at lines 997 (`self._apply_learned_naflex_pos_embed(...)`), 1005
# (`self._apply_factorized_naflex_pos_embed_grid_sample(...)`), 1007 (`self._apply_factorized_naflex_pos_embed(...)`)
# in NaFlexEmbeds.forward and 1638 (`self._generate_rope_naflex(...)`) in NaFlexVit._forward_embeds. These methods
# are decorated @disable_compiler (timm.layers.typing: torch.compiler.disable). In NaFlex mode (patch_coord given,
# the mode NaFlexVit and its NaFlex loader exist for), forward calls the one that matches the config: learned
# (default), factorized (naflexvit_base_patch16_parfac_gap), factorized + pos_embed_use_grid_sample=True, or a ROPE
# model (EVA models built with use_naflex=True). Calling a disabled method from compiled code is a graph break
# (GB0098) and fails fullgraph=True. Reduced NaFlexEmbeds, learned NaFlex path (the others differ only in the body).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
from typing import Dict, List, Tuple

import torch
import torch.nn.functional as F

disable_compiler = getattr(getattr(torch, "compiler", None), "disable", None)


def calculate_naflex_grid_sizes(_coord: torch.Tensor):
    max_y = _coord[:, :, 0].amax(dim=1) + 1
    max_x = _coord[:, :, 1].amax(dim=1) + 1
    return [(int(h.item()), int(w.item())) for h, w in zip(max_y, max_x)]


class NaFlexEmbeds(torch.nn.Module):
    def __init__(self, dim=32, patch=4, grid=8):
        super().__init__()
        self.proj = torch.nn.Linear(patch * patch * 3, dim)
        self.pos_embed = torch.nn.Parameter(torch.randn(1, grid, grid, dim))
        self.pos_embed_type = 'learned'
        self.pos_embed_use_grid_sample = False

    @disable_compiler
    def _apply_learned_naflex_pos_embed(self, x: torch.Tensor, patch_coord: torch.Tensor) -> None:
        naflex_grid_sizes = calculate_naflex_grid_sizes(patch_coord)
        pos_embed_nchw = self.pos_embed.permute(0, 3, 1, 2).float()
        size_to_indices: Dict[Tuple[int, int], List[int]] = {}
        for bi, k in enumerate(naflex_grid_sizes):
            size_to_indices.setdefault(k, []).append(bi)
        for k, batch_indices in size_to_indices.items():
            pos_embed_flat = F.interpolate(pos_embed_nchw, size=k, mode='bicubic').flatten(2).transpose(1, 2)
            seq_len = min(x.shape[1], pos_embed_flat.shape[1])
            x[:, :seq_len].index_add_(0, torch.as_tensor(batch_indices, device=x.device),
                                      pos_embed_flat[:, :seq_len].expand(len(batch_indices), -1, -1))

    def forward(self, x, patch_coord=None, patch_valid=None):
        grid_size = None
        x = self.proj(x.flatten(2))
        if self.pos_embed_type == 'learned':
            if grid_size is not None:
                pass
            else:
                if self.pos_embed_use_grid_sample:
                    pass
                else:
                    self._apply_learned_naflex_pos_embed(x, patch_coord=patch_coord)
        return x, grid_size


# a NaFlex batch: 2 images, 24 patches each (a 4x6 grid), pre-patchified (B, N, P*P*C) with (y, x) coordinates
coord = torch.stack(torch.meshgrid(torch.arange(4), torch.arange(6), indexing="ij"), -1).reshape(1, 24, 2).expand(2, -1, -1)
embeds = NaFlexEmbeds()
check(embeds, torch.randn(2, 24, 48), coord)
