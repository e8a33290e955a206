# vector_quantize_pytorch/vector_quantize_pytorch.py CA103 nth 1 (line 225, sample_vectors_distributed):
# under DDP (world size > 1: VectorQuantize sets use_ddp = is_distributed(), sync_kmeans defaults to True) the
# Codebook's replace_sample_fn / sample_fn is sample_vectors_distributed, called by replace() for dead-code
# replacement (threshold_ema_dead_code > 0, training) and by the k-means init. samples_per_rank is an int64 Tensor
# (sample_multinomial's torch.empty_like(probs, dtype=long) on rank 0, empty_like of the int64 sizes elsewhere);
# `.tolist()` of it breaks plain torch.compile (GB0033). The broadcast before it is a graph break of its own, so
# Dynamo resumes right at this line with samples_per_rank as a graph input: that resumed part is reproduced here
# (with rank 0 of a gloo group of one, to show the broadcast is a break too).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import os
import tempfile

import torch
import torch.distributed as distributed


def sample_vectors(samples, num):
    num_samples, device = samples.shape[0], samples.device
    if num_samples >= num:
        indices = torch.randperm(num_samples, device=device)[:num]
    else:
        indices = torch.randint(0, num_samples, (num,), device=device)
    return samples[indices]


def broadcast_part(samples_per_rank):
    distributed.broadcast(samples_per_rank, src=0)
    return samples_per_rank


def resumed_at_line_225(samples_per_rank, local_samples, rank):
    samples_per_rank = samples_per_rank.tolist()
    local_samples = sample_vectors(local_samples, samples_per_rank[rank])
    return local_samples, samples_per_rank


store = tempfile.NamedTemporaryFile(delete=False)
distributed.init_process_group("gloo", init_method=f"file://{store.name}", rank=0, world_size=1)
try:
    print("broadcast before it:")
    check(broadcast_part, torch.tensor([5], dtype=torch.long), mode="default")
finally:
    distributed.destroy_process_group()
    if os.path.exists(store.name):
        os.unlink(store.name)
print("the flagged line:")
check(resumed_at_line_225, torch.tensor([5], dtype=torch.long), torch.randn(16, 4), 0, mode="default")
