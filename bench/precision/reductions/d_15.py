# x_transformers x_transformers/nonautoregressive_wrapper.py:356 CA111 nth 1 -- orig_seq[mask] in the loss
# (mask = batched_randperm < num_tokens_mask is a bool Tensor; NonAutoregressiveWrapper.forward, training)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F


def nar_loss(logits, orig_seq, rand_probs):
    b, n = orig_seq.shape
    batched_randperm = torch.rand((b, n)).argsort(dim=-1).float()
    num_tokens_mask = (rand_probs * n).clamp(min=1.0)
    mask = batched_randperm < num_tokens_mask[:, None]
    return F.cross_entropy(logits[mask], orig_seq[mask])


check(nar_loss, torch.randn(2, 16, 50), torch.randint(0, 50, (2, 16)), torch.rand(2), mode="default")
