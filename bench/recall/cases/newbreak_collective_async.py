"""A collective with async_op=True inside compiled code (overlapped gradient all-reduce)."""

import os

import torch
import torch.distributed as dist
from torch import nn


class AllReduceMean(nn.Module):
    def forward(self, x):
        work = dist.all_reduce(x, op=dist.ReduceOp.SUM, async_op=True)
        work.wait()
        return x / dist.get_world_size()


model = torch.compile(AllReduceMean())


def _init_single_process_group():
    if not dist.is_initialized():
        os.environ.setdefault("MASTER_ADDR", "127.0.0.1")
        os.environ.setdefault("MASTER_PORT", str(29500 + os.getpid() % 1000))
        dist.init_process_group("gloo", rank=0, world_size=1)


def case_collective_async():
    _init_single_process_group()
    return model._orig_mod, (torch.randn(4),)
