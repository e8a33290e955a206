# g_02: vector_quantize_pytorch hierarchical_vq.py:219 CA115 `rand = random.Random(seed)`
# HierarchicalVQ.sample_nested_cutoff (called from forward) in training with nested_dropout > 0:
# seed = get_maybe_sync_seed(device) (residual_vq.py) = torch.randint(...).item(); under fullgraph the
# .item() is captured as an unbacked SymInt, and random.Random(<SymInt>) cannot be built by Dynamo.
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


class HVQ(torch.nn.Module):
    def __init__(self, nested_dropout=0.5, num_levels=4, nested_dropout_min_levels=1):
        super().__init__()
        self.nested_dropout = nested_dropout
        self.num_levels = num_levels
        self.nested_dropout_min_levels = nested_dropout_min_levels

    def sample_nested_cutoff(self, device):
        if not self.training or self.nested_dropout <= 0. or self.num_levels <= 1:
            return None
        min_levels = self.nested_dropout_min_levels
        if min_levels >= self.num_levels:
            return None
        seed = get_maybe_sync_seed(device)
        rand = random.Random(seed)
        if rand.random() >= self.nested_dropout:
            return None
        return rand.randrange(min_levels - 1, self.num_levels - 1)

    def forward(self, x):
        cutoff = self.sample_nested_cutoff(x.device)
        return x * 2, cutoff


check(HVQ().train(), torch.randn(2, 4))
