# monai/networks/nets/navit.py CA102 nth 1 (line 522 `max_len = int(lengths.amax().item())` and line 564
# `max_queries = int(num_images_t.amax().item())`, NaViT.forward): both are torch.tensor(...) of Python ints
# (sequence lengths / images per group) built inside forward; Dynamo does not constant-fold them, and .item()
# with capture_scalar_outputs off breaks plain torch.compile (GB0124).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def f(batched_sequences, num_images_per_group, x):
    lengths = torch.tensor([s.shape[0] for s in batched_sequences], dtype=torch.long)
    max_len = int(lengths.amax().item())
    len_range = torch.arange(max_len)
    key_pad_mask = len_range.unsqueeze(0) < lengths.unsqueeze(1)
    num_images_t = torch.tensor(num_images_per_group, dtype=torch.long)
    max_queries = int(num_images_t.amax().item())
    return x.expand(len(batched_sequences), max_queries, -1), key_pad_mask


check(f, [torch.randn(12, 8), torch.randn(9, 8)], [2, 1], torch.randn(1, 1, 8), mode="default")
