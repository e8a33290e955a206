# h_05: x_transformers x_transformers/xval.py:304 CA111 `loss = loss[target_mask]`
# XValAutoregressiveWrapper.forward: target_mask = target != self.ignore_index (bool Tensor, &= key-padding
# mask when given); the per-token loss is read through the mask: data-dependent size.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F

ignore_index = -100
numerical_token_id = 3


def xval_loss(x, x_num, logits, numerical_pred):
    target = x[:, 1:]
    x_num_target = x_num[:, 1:]
    target_mask = target != ignore_index
    cross_entropy_loss = F.cross_entropy(logits.transpose(1, 2), target, reduction='none', ignore_index=ignore_index)
    target_is_number_mask = target == numerical_token_id
    x_num_target = x_num_target.masked_fill(~target_is_number_mask, 0.)
    numerical_mse_loss = F.mse_loss(numerical_pred, x_num_target, reduction='none')
    numerical_mse_loss = numerical_mse_loss * target_mask
    loss = cross_entropy_loss + numerical_mse_loss
    loss = loss[target_mask]
    return loss.mean()


x = torch.randint(0, 10, (2, 8))
check(xval_loss, x, torch.randn(2, 8), torch.randn(2, 7, 10), torch.randn(2, 7), mode="default")
