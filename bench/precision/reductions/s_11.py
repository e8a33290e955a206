# CA145 stores to a fresh tensor's requires_grad in compiled code: monai networks/layers/spatial_transforms.py:541
# `pad_affine.requires_grad = False` (AffineTransform.forward with the usual 2x3/3x4 theta), monai
# networks/utils.py:282 `norm.requires_grad = False` (normalize_transform, which AffineTransform.forward calls with its
# default normalized=False), peft tuners/adalora/model.py:249 `I.requires_grad = False` (AdaLoraModel.forward in
# training adds the orthogonal regularisation). Dynamo refuses setattr on Tensor.requires_grad (GB0206): fullgraph
# fails.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def affine_pad(theta):
    theta = theta.clone()
    pad_affine = torch.tensor([0, 0, 1])
    pad_affine = pad_affine.repeat(theta.shape[0], 1, 1).to(theta)
    pad_affine.requires_grad = False
    return torch.cat([theta, pad_affine], dim=1)


check(affine_pad, torch.rand(2, 2, 3))
