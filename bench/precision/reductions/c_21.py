# Reduces: x_transformers x_transformers/xm_latent_decoder.py:284 CA109 (for start in range(0, total, chunk_size))
# total = batch * candidates with batch = seq.shape[0] and candidates a Python int config; chunk_size =
# default(max_batch_size, total) -> all Python ints, so the range is unrolled, no tensor value involved.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

candidates, max_batch_size = 4, None

def chunked(seq, latent_cond):
    batch = seq.shape[0]
    total = batch * candidates
    chunk_size = max_batch_size if max_batch_size is not None else total
    seq_candidates = seq.repeat_interleave(candidates, dim=0)
    outs = []
    for start in range(0, total, chunk_size):
        chunk_batch_size = min(total - start, chunk_size)
        chunk = slice(start, start + chunk_batch_size)
        outs.append(seq_candidates[chunk].float().sum(-1, keepdim=True) + latent_cond[chunk])
    return torch.cat(outs)

check(chunked, torch.randint(0, 10, (2, 7)), torch.randn(8, 3))
