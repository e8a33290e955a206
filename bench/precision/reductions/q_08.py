# diffusers/models/unets/unet_stable_cascade.py CA108 nth 1 (line 589, StableCascadeUNet.forward): sca and crp default
# to None and neither StableCascadePriorPipeline nor StableCascadeDecoderPipeline passes them, so cond is None and
# `cond or torch.zeros_like(timestep_ratio)` is a None check, not bool() of a tensor; forward's conditioning loop
# compiles whole (fullgraph=True) as the pipelines call it.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import math
import torch


def get_timestep_ratio_embedding(timestep_ratio, c_r=8, max_positions=10000):
    r = timestep_ratio * max_positions
    half_dim = c_r // 2
    emb = math.log(max_positions) / (half_dim - 1)
    emb = torch.arange(half_dim, device=r.device).float().mul(-emb).exp()
    emb = r[:, None] * emb[None, :]
    return torch.cat([emb.sin(), emb.cos()], dim=1)


def forward(sample, timestep_ratio, sca=None, crp=None, timestep_conditioning_type=("sca", "crp")):
    timestep_ratio_embed = get_timestep_ratio_embedding(timestep_ratio)
    for c in timestep_conditioning_type:
        if c == "sca":
            cond = sca
        elif c == "crp":
            cond = crp
        else:
            cond = None
        t_cond = cond or torch.zeros_like(timestep_ratio)
        timestep_ratio_embed = torch.cat([timestep_ratio_embed, get_timestep_ratio_embedding(t_cond)], dim=1)
    return sample.mean() + timestep_ratio_embed


check(forward, torch.randn(2, 4, 8, 8), torch.rand(2))
