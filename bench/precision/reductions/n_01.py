# timm/layers/pos_embed.py CA112 nth 1 (line 63, resample_abs_pos_embed) and nth 1 (line 87,
# resample_abs_pos_embed_nhwc): `_logger.info(...)` runs only under `if not torch.jit.is_scripting() and verbose:`.
# Every compiled caller (VisionTransformer/Eva/Deit._pos_embed with dynamic_img_size, AttentionPool2d.forward,
# vision_transformer_sam's forward_features) leaves verbose at its default False; verbose=True is passed only by
# eager utilities (set_input_size, checkpoint_filter_fn, _load_weights, resize_pos_embed). The real forward paths,
# which do resample the embedding here, compile whole under fullgraph=True.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import logging
import math
from typing import List, Optional

import torch
import torch.nn.functional as F

_logger = logging.getLogger(__name__)


def is_exporting() -> bool:  # timm.layers.helpers.is_exporting
    if torch.jit.is_scripting():
        return False
    return torch.compiler.is_exporting()


def resample_abs_pos_embed(posemb, new_size: List[int], old_size: Optional[List[int]] = None, num_prefix_tokens: int = 1,
                           interpolation: str = 'bicubic', antialias: bool = True, verbose: bool = False,
                           align_corners: Optional[bool] = None):
    num_pos_tokens = posemb.shape[1]
    num_new_tokens = new_size[0] * new_size[1] + num_prefix_tokens
    if not is_exporting() and num_new_tokens == num_pos_tokens:
        if old_size is not None and old_size[0] == new_size[0] and old_size[1] == new_size[1]:
            return posemb
        if old_size is None and new_size[0] == new_size[1]:
            return posemb
    if old_size is None:
        hw = int(math.sqrt(num_pos_tokens - num_prefix_tokens))
        old_size = hw, hw
    if num_prefix_tokens:
        posemb_prefix, posemb = posemb[:, :num_prefix_tokens], posemb[:, num_prefix_tokens:]
    else:
        posemb_prefix, posemb = None, posemb
    embed_dim = posemb.shape[-1]
    orig_dtype = posemb.dtype
    posemb = posemb.float()
    posemb = posemb.reshape(1, old_size[0], old_size[1], -1).permute(0, 3, 1, 2)
    posemb = F.interpolate(posemb, size=new_size, mode=interpolation, align_corners=align_corners, antialias=antialias)
    posemb = posemb.permute(0, 2, 3, 1).reshape(1, -1, embed_dim)
    posemb = posemb.to(orig_dtype)
    if posemb_prefix is not None:
        posemb = torch.cat([posemb_prefix, posemb], dim=1)
    if not torch.jit.is_scripting() and verbose:
        _logger.info(f'Resized position embedding: {old_size} to {new_size}.')
    return posemb


def resample_abs_pos_embed_nhwc(posemb, new_size: List[int], interpolation: str = 'bicubic', antialias: bool = True,
                                verbose: bool = False):
    if not is_exporting() and new_size[0] == posemb.shape[-3] and new_size[1] == posemb.shape[-2]:
        return posemb
    orig_dtype = posemb.dtype
    posemb = posemb.float()
    posemb = posemb.reshape(1, posemb.shape[-3], posemb.shape[-2], posemb.shape[-1]).permute(0, 3, 1, 2)
    posemb = F.interpolate(posemb, size=new_size, mode=interpolation, antialias=antialias)
    posemb = posemb.permute(0, 2, 3, 1).to(orig_dtype)
    if not torch.jit.is_scripting() and verbose:
        _logger.info(f'Resized position embedding: {posemb.shape[-3:-1]} to {new_size}.')
    return posemb


class ViT(torch.nn.Module):  # VisionTransformer._pos_embed with dynamic_img_size=True (grid 14x14 at 224)
    def __init__(self):
        super().__init__()
        self.cls_token = torch.nn.Parameter(torch.zeros(1, 1, 32))
        self.pos_embed = torch.nn.Parameter(torch.randn(1, 1 + 14 * 14, 32))
        self.grid_size = (14, 14)
        self.num_prefix_tokens = 1

    def forward(self, x):  # x: (B, H, W, C) patch grid, here 10x12 (a non-default image size)
        B, H, W, C = x.shape
        pos_embed = resample_abs_pos_embed(self.pos_embed, new_size=(H, W), old_size=self.grid_size,
                                           num_prefix_tokens=self.num_prefix_tokens)
        x = x.view(B, -1, C)
        x = torch.cat([self.cls_token.expand(B, -1, -1), x], dim=1)
        return x + pos_embed


class SamViT(torch.nn.Module):  # vision_transformer_sam forward_features: x + resample_abs_pos_embed_nhwc(...)
    def __init__(self):
        super().__init__()
        self.pos_embed = torch.nn.Parameter(torch.randn(1, 14, 14, 32))

    def forward(self, x):
        return x + resample_abs_pos_embed_nhwc(self.pos_embed, x.shape[1:3])


vit, sam = ViT(), SamViT()
check(lambda a, b: (vit(a), sam(b)), torch.randn(2, 10, 12, 32), torch.randn(2, 10, 12, 32))
