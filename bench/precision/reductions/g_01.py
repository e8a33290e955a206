# g_01: denoising_diffusion_pytorch CA115 `if self.self_condition and random() < 0.5:`
#   denoising_diffusion_pytorch.py:810, denoising_diffusion_pytorch_1d.py:716, guided_diffusion.py:734,
#   repaint.py:849 (GaussianDiffusion.p_losses), elucidated_diffusion.py:264 (ElucidatedDiffusion.forward)
# `from random import random`; self.self_condition is the Unet's bool option (Unet(self_condition=True)).
# With self-conditioning on, the training forward calls random.random() every step.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
from random import random
import torch
import torch.nn as nn


class Diffusion(nn.Module):
    def __init__(self, self_condition=True):
        super().__init__()
        self.self_condition = self_condition  # bool, copied from model.self_condition
        self.model = nn.Conv2d(6 if self_condition else 3, 3, 3, padding=1)

    def forward(self, x):
        x_self_cond = None
        if self.self_condition and random() < 0.5:
            with torch.no_grad():
                x_self_cond = self.model(torch.cat((x, torch.zeros_like(x)), 1))
                x_self_cond.detach_()
        if x_self_cond is None:
            x_self_cond = torch.zeros_like(x)
        return self.model(torch.cat((x, x_self_cond), 1))


check(Diffusion(self_condition=True).train(), torch.randn(2, 3, 8, 8))
