# g_09: vector_quantize_pytorch vector_quantize_pytorch.py:571 CA110 `dead_indices = mask.nonzero(as_tuple = True)[0]`
# Codebook.replace: mask is a bool row of `cluster_size < threshold_ema_dead_code`; the line runs when more codes
# are dead than samples (num_dead, num_samples are Python ints here).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def pick_dead(mask, num_dead, num_samples):
    dead_indices = mask.nonzero(as_tuple=True)[0]
    dead_indices = dead_indices[torch.randperm(num_dead, device=mask.device)[:num_samples]]
    mask = torch.zeros_like(mask)
    mask[dead_indices] = True
    return mask


mask = torch.tensor([True, True, False, True, True])
check(pick_dead, mask, 4, 2, mode="default")
