# f_10: peft peft/tuners/boft/layer.py:176 (CA102 `torch.randint(0, N, (1,)).item()` in
# MultiplicativeDropoutLayer.forward). The layer is used as boft_dropout when boft_dropout > 0 and runs in
# BOFT's forward on the rotation blocks during training; randint returns a graph tensor, .item() breaks.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn as nn


class MultiplicativeDropoutLayer(nn.Module):
    def __init__(self, p=0.0):
        super().__init__()
        self.p = p

    def forward(self, x):
        if self.training:
            if x.shape[-1] != x.shape[-2]:
                raise ValueError("The last two dimensions of input should be the same!")
            N, D, H, _ = x.shape
            n_random = torch.randint(0, N, (1,)).item()
            num_to_replace = int(self.p * D)
            num_zeros = D - num_to_replace
            mask = torch.cat([torch.ones(num_to_replace, device=x.device), torch.zeros(num_zeros, device=x.device)])
            mask = mask[torch.randperm(D)].view(1, D, 1, 1)
            full_mask = torch.zeros(N, D, 1, 1, device=x.device)
            full_mask[n_random] = mask
            eye_matrix = torch.eye(H, device=x.device).repeat(N, D, 1, 1)
            x = (1 - full_mask) * x + full_mask * eye_matrix
        return x


layer = MultiplicativeDropoutLayer(p=0.1).train()
check(layer, torch.randn(1, 4, 8, 8), mode="default")  # boft_R: (boft_n_butterfly_factor+1, block_num, bs, bs)
