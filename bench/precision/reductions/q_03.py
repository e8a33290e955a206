# diffusers/models/transformers/transformer_qwenimage21.py CA110 nth 1 (line 928, QwenImage21Transformer2DModel
# .forward): img_mask is the bool (B, vlm_seq) image-slot mask the pipeline passes every step; repeats =
# torch.where(img_mask, 4, 1)[0] is a Tensor, so torch.repeat_interleave(img_mask[0], repeats) has a data-dependent
# length: plain torch.compile breaks (GB0036).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

_IMG_TOKENS_PER_SLOT = 4


def expand(img_mask):
    repeats = torch.where(img_mask, _IMG_TOKENS_PER_SLOT, 1)[0]
    image_pad_mask = torch.repeat_interleave(img_mask[0], repeats)
    return image_pad_mask


check(expand, torch.tensor([[False, True, True, False, False]]), mode="default")
