# Default mode (CA103's claim for integer tensors is GB0033 without fullgraph=True): the same reduction as c_18.py
# Reduces: x_transformers x_transformers/entropy_based_tokenizer.py:182 CA103 (arange_plus_one[boundaries].split(num_tokens.tolist()))
# EntropyBasedTokenizer.forward: num_tokens = boundaries.sum(dim=-1) of a bool Tensor -> int64; integer .tolist()
# is captured as SymInts under fullgraph=True and the split / pad that follow compile.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F

def token_lengths(entropies, threshold):
    batch, seq_len = entropies.shape
    arange = torch.arange(seq_len)
    boundaries = (entropies >= threshold).clone()
    boundaries[..., -1] = True
    arange_plus_one = (arange + 1).unsqueeze(0).expand(batch, seq_len)
    num_tokens = boundaries.sum(dim=-1)
    indices = arange_plus_one[boundaries].split(num_tokens.tolist())
    lengths = []
    for one_indices in indices:
        padded_indices = F.pad(one_indices, (1, 0), value=0.)
        lengths.append(padded_indices[1:] - padded_indices[:-1])
    return lengths

check(token_lengths, torch.rand(2, 12), 0.5, mode="default")
