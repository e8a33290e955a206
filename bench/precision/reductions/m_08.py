# monai/networks/nets/segresnet.py CA128 nth 1 (line 298, SegResNetVAE._get_vae_loss, called from forward in
# training): z_mean_rand = torch.randn_like(z_mean) never requires grad, and requires_grad_(False) on it is a
# no-op that Dynamo traces; it creates no leaf and is not returned -> fullgraph compiles.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from torch import nn

vae_fc1 = nn.Linear(16, 8)
vae_fc3 = nn.Linear(8, 16)


def vae_loss(x_vae, net_input):
    z_mean = vae_fc1(x_vae)
    z_mean_rand = torch.randn_like(z_mean)
    z_mean_rand.requires_grad_(False)
    z_sigma = 0.3
    vae_reg_loss = torch.mean(z_mean**2)
    x_vae = z_mean + z_sigma * z_mean_rand
    x_vae = vae_fc3(x_vae)
    return vae_reg_loss + torch.nn.functional.mse_loss(net_input, x_vae)


check(vae_loss, torch.randn(2, 16), torch.randn(2, 16))
