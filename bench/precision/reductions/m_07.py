# monai/networks/nets/navit.py CA111 nth 1 (line 583, NaViT.forward): is_valid is a bool Tensor
# (image_id_range < num_images_t, one row per group); pooled[is_valid] has a data-dependent length and breaks
# plain torch.compile (GB0036, dynamic shape operator).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def f(pooled, num_images_per_group, max_queries):
    num_images_t = torch.tensor(num_images_per_group, dtype=torch.long)
    image_id_range = torch.arange(max_queries)
    pooled = pooled.reshape(-1, pooled.shape[-1])
    is_valid = (image_id_range.unsqueeze(0) < num_images_t.unsqueeze(1)).reshape(-1)
    pooled = pooled[is_valid]
    return pooled.sum(-1)


check(f, torch.randn(2, 3, 8), [3, 2], 3, mode="default")
