# timm/models/gemma4_vit.py CA104 nth 1 (line 346, Gemma4PatchEmbed.forward) and nth 2 (line 1235,
# Gemma4VitClassifier.forward): `if sentinel.any():` where sentinel = (patch_coord == -1).all(dim=-1)
# is a bool Tensor (NaFlex pre-patchified input with patch_coord given).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def resolve_patch_valid(x, patch_coord, patch_valid=None):
    if patch_valid is None and patch_coord is not None:
        sentinel = (patch_coord == -1).all(dim=-1)
        if sentinel.any():
            patch_valid = ~sentinel
    return x * 2, patch_valid


B, N = 2, 16
coord = torch.stack(torch.meshgrid(torch.arange(4), torch.arange(4), indexing="ij"), -1).reshape(1, N, 2).repeat(B, 1, 1)
coord[1, -3:] = -1  # padded tokens in NaFlex batches
check(resolve_patch_valid, torch.randn(B, N, 48), coord)
