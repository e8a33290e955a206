# vit_pytorch/ats_vit.py CA110 nth 1 (line 88, AdaptiveTokenSampling.forward): sampled_token_ids is an int64
# Tensor (argmax + 1); torch.unique of each unbound row has a data-dependent size -> plain torch.compile breaks.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from torch.nn.utils.rnn import pad_sequence


def f(pseudo_logits):
    sampled_token_ids = pseudo_logits.argmax(dim = -1) + 1
    unique_sampled_token_ids_list = [torch.unique(t, sorted = True) for t in torch.unbind(sampled_token_ids)]
    unique_sampled_token_ids = pad_sequence(unique_sampled_token_ids_list, batch_first = True)
    return unique_sampled_token_ids != 0


check(f, torch.randn(2, 4, 10), mode="default")
