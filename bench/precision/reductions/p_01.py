# Reduces: diffusers diffusers/models/transformers/transformer_bria.py:641 CA104 (if guidance:)
# BriaTransformer2DModel.forward: the only caller, BriaPipeline, never passes guidance (Bria 3.x is not
# guidance-distilled and guidance_embeds defaults to False), so guidance stays None and `if guidance:` is a
# constant Python test. The forward's embedding path with guidance=None compiles with fullgraph=True.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from torch import nn


class TimeEmbed(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.lin = nn.Linear(256, dim)

    def forward(self, timestep, dtype):
        half = 128
        freqs = torch.exp(-torch.arange(half, dtype=torch.float32) * 9.21 / half)
        args = timestep[:, None].float() * freqs[None]
        emb = torch.cat([torch.cos(args), torch.sin(args)], dim=-1)
        return self.lin(emb.to(dtype))


class Model(nn.Module):
    def __init__(self, dim=32, guidance_embeds=False):
        super().__init__()
        self.x_embedder = nn.Linear(16, dim)
        self.time_embed = TimeEmbed(dim)
        if guidance_embeds:
            self.guidance_embed = TimeEmbed(dim)

    def forward(self, hidden_states, timestep, guidance=None):
        hidden_states = self.x_embedder(hidden_states)
        timestep = timestep.to(hidden_states.dtype)
        if guidance is not None:
            guidance = guidance.to(hidden_states.dtype)
        else:
            guidance = None
        temb = self.time_embed(timestep, dtype=hidden_states.dtype)
        if guidance:
            temb += self.guidance_embed(guidance, dtype=hidden_states.dtype)
        return hidden_states + temb[:, None]


m = Model()
# as BriaPipeline calls it: no guidance argument
check(m, torch.randn(1, 64, 16), torch.tensor([500.0]))
