# g_06: vector_quantize_pytorch CA115 `rand = random.Random(rand_quantize_dropout_fixed_seed)`:
#   residual_fsq.py:216, residual_lfq.py:167, residual_sim_vq.py:165, residual_vq.py:440
# In training with quantize_dropout=True and no seed passed (the default), the seed comes from
# get_maybe_sync_seed(device) = torch.randint(...).item(): an unbacked SymInt under fullgraph, and
# random.Random(<SymInt>) cannot be constructed by Dynamo.
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


class ResidualVQ(torch.nn.Module):
    def __init__(self, num_quantizers=4, quantize_dropout=True, quantize_dropout_cutoff_index=0):
        super().__init__()
        self.num_quantizers = num_quantizers
        self.quantize_dropout = quantize_dropout and num_quantizers > 1
        self.quantize_dropout_cutoff_index = quantize_dropout_cutoff_index
        self.layers = torch.nn.ModuleList([torch.nn.Linear(4, 4) for _ in range(num_quantizers)])

    def forward(self, x, rand_quantize_dropout_fixed_seed=None):
        num_quant, device = self.num_quantizers, x.device
        should_quantize_dropout = self.training and self.quantize_dropout and torch.is_grad_enabled()
        if should_quantize_dropout:
            if rand_quantize_dropout_fixed_seed is None:
                rand_quantize_dropout_fixed_seed = get_maybe_sync_seed(device)
            rand = random.Random(rand_quantize_dropout_fixed_seed)
            rand_quantize_dropout_index = rand.randrange(self.quantize_dropout_cutoff_index, num_quant)
        out, residual = 0., x
        for i, layer in enumerate(self.layers):
            if should_quantize_dropout and i > rand_quantize_dropout_index:
                continue
            q = layer(residual)
            residual = residual - q.detach()
            out = out + q
        return out


check(ResidualVQ().train(), torch.randn(2, 4))
