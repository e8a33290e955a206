# g_05: vector_quantize_pytorch CA102 `return rand_int.item()` in get_maybe_sync_seed:
#   residual_fsq.py:45, residual_lfq.py:40, residual_sim_vq.py:44, residual_vq.py:102
# Called from the Residual* forward in training with quantize_dropout=True when no fixed seed is passed;
# rand_int is a 0-d int64 tensor from torch.randint; .item() breaks plain torch.compile.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import random
import torch
import torch.distributed as dist


def is_distributed():
    return dist.is_initialized() and dist.get_world_size() > 1


def get_maybe_sync_seed(device, max_size=10_000):
    rand_int = torch.randint(0, max_size, (), device=device)
    if is_distributed():
        dist.all_reduce(rand_int)
    return rand_int.item()


def forward(x, rand_quantize_dropout_fixed_seed=None):
    if rand_quantize_dropout_fixed_seed is None:
        rand_quantize_dropout_fixed_seed = get_maybe_sync_seed(x.device)
    return x * 2, rand_quantize_dropout_fixed_seed


check(forward, torch.randn(2, 4), mode="default")
