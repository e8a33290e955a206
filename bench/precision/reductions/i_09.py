# vit_pytorch/mpp.py CA111 nth 1 and nth 2 (line 72, MPPLoss.forward, called from MPP.forward):
# mask = get_mask_subset_with_prob(...) is a bool Tensor (new_mask.bool()); predicted_patches[mask] and
# target_label[mask] have a data-dependent length -> plain torch.compile graph-breaks.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F


def f(predicted_patches, target_label, mask):
    return F.cross_entropy(predicted_patches[mask], target_label[mask])


mask = torch.rand(2, 16) < 0.15
mask[0, 0] = True
check(f, torch.randn(2, 16, 64), torch.randint(0, 64, (2, 16)), mask, mode="default")
