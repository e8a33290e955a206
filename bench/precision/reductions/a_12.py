# x_transformers/entropy_based_tokenizer.py:161 CA102: max_num_tokens = boundaries.sum(dim=-1).amax().item() in
# EntropyBasedTokenizer.forward (max_token_size set). boundaries is a bool Tensor of entropy-threshold hits, so
# .item() graph-breaks in plain torch.compile.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F


def tokenize(entropies, threshold: float, max_token_size: int):
    boundaries = entropies >= threshold
    boundaries[..., -1] = True
    token_ids = boundaries.cumsum(dim=-1)
    token_ids = F.pad(token_ids, (1, -1), value=0)
    max_num_tokens = boundaries.sum(dim=-1).amax().item()
    token_ids_seq = torch.arange(max_num_tokens, device=entropies.device)
    token_mask = token_ids_seq[None, :, None] == token_ids[:, None, :]
    return (token_mask.cumsum(dim=-1) % max_token_size == 0).any(dim=1)


check(tokenize, torch.rand(2, 16), 0.5, 4, mode="default")
