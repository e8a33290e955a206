# h_04: x_transformers x_transformers/autoregressive_wrapper.py:691 CA111 `cont_loss = cont_loss[mask].mean()`
# AutoregressiveWrapper.forward with the continuous prediction head (add_next_embed_loss): mask =
# target != ignore_index is a bool Tensor; the mask read has data-dependent size.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F

ignore_index = -100


def next_embed_loss(target, next_embed_pred, init_embeds):
    mask = target != ignore_index
    embed_pred = next_embed_pred[:, :-1]
    cont_targets = init_embeds[:, 1:].detach()
    cont_loss = F.l1_loss(embed_pred, cont_targets, reduction='none')
    cont_loss = cont_loss[mask].mean()
    return cont_loss


target = torch.randint(0, 10, (2, 7))
target[:, -2:] = ignore_index
check(next_embed_loss, target, torch.randn(2, 8, 4), torch.randn(2, 8, 4), mode="default")
