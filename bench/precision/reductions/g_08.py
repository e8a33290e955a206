# g_08: vector_quantize_pytorch vector_quantize_pytorch.py:565 CA102 `num_dead = mask.sum().item()`
# Codebook.replace, reached from expire_codes_ in training when threshold_ema_dead_code > 0 and some code is
# expired; mask is a row of the bool tensor `cluster_size < threshold`; .item() on its int64 sum.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def replace(batch_samples, batch_mask, embed):
    for ind, (samples, mask) in enumerate(zip(batch_samples, batch_mask)):
        if samples.numel() == 0:
            continue
        num_samples = samples.shape[0]
        num_dead = mask.sum().item()
        idx = torch.randint(0, num_samples, (num_dead,))
        embed[ind][mask] = samples[idx]
    return embed


cluster_size = torch.tensor([[0.5, 3.0, 1.0, 4.0]])
check(replace, torch.randn(1, 16, 4), cluster_size < 2, torch.randn(1, 4, 4), mode="default")
