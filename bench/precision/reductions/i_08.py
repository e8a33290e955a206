# vit_pytorch/levjepa.py CA106 nth 1 (line 310, VideoTransformer.forward) and vit_pytorch/levjepa_nd.py
# CA106 nth 1 (line 296, NDTransformer.forward): num_keep = max(1, int(total_tokens * (1 - drop_ratio))).
# total_tokens = x.shape[1] - 1 is an int and drop_ratio is the learner's Python float (default 0.95),
# not a Tensor: int() of a Python float, so plain torch.compile does not break.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def f(x, drop_ratio = None, training = True):
    batch = x.shape[0]
    if drop_ratio is not None and training:
        total_tokens = x.shape[1] - 1
        num_keep = max(1, int(total_tokens * (1 - drop_ratio)))
        rand = torch.rand(batch, total_tokens)
        patch_indices = rand.topk(num_keep, dim = -1).indices + 1
        x = torch.gather(x, 1, patch_indices[..., None].expand(-1, -1, x.shape[-1]))
    return x


check(f, torch.randn(2, 41, 8), 0.95, mode="default")
