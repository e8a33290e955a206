# vit_pytorch/na_vit.py CA110 nth 1 (line 318, NaViT.forward): image_ids = torch.repeat_interleave(
# arange(len(images)), torch.tensor(patch_counts)) - repeats is an int64 Tensor built from Python ints
# (per-image patch counts), no output_size given: the output length is data-dependent, so plain
# torch.compile graph-breaks (the line sits in the loop over batched_images).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from functools import partial


def f(batched_images, p):
    device = batched_images[0][0].device
    arange = partial(torch.arange, device = device)
    out = []
    for images in batched_images:
        sequences = [img.reshape(img.shape[0], -1, p * p).transpose(0, 1).flatten(1) for img in images]
        patch_counts = [seq.shape[0] for seq in sequences]
        image_ids = torch.repeat_interleave(
            arange(len(images)),
            torch.tensor(patch_counts, device=device)
        )
        out.append(image_ids)
    return out


imgs = [[torch.randn(3, 8, 8), torch.randn(3, 16, 8)], [torch.randn(3, 8, 16)]]
check(f, imgs, 4, mode="default")
