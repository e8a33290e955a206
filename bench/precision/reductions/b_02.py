# timm/models/gemma4_vit.py CA104 nth 1 (line 856, Gemma4VitEncoder._encode) and nth 2 (line 915,
# forward 'avg' pool): `if padding_positions is not None and padding_positions.any():` with
# padding_positions = ~patch_valid, a (B, N) bool Tensor when patch_valid/patch_coord sentinels are given.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def encode(x, padding_positions):
    B, N = x.shape[:2]
    attn_mask = None
    if padding_positions is not None and padding_positions.any():
        attn_mask = torch.zeros(B, 1, 1, N, dtype=x.dtype)
        attn_mask.masked_fill_(padding_positions[:, None, None, :], float("-inf"))
    return x, attn_mask


B, N = 2, 16
patch_valid = torch.ones(B, N, dtype=torch.bool)
patch_valid[1, -3:] = False
check(encode, torch.randn(B, N, 32), ~patch_valid)
