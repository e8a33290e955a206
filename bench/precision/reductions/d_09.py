# diffusers diffusers/models/normalization.py:264 CA108 nth 1 -- added_cond_kwargs = added_cond_kwargs or {...}
# diffusers diffusers/models/transformers/transformer_ltx2.py:140 CA108 nth 1 -- same
# diffusers diffusers/models/transformers/transformer_sana_wm_refiner.py:123 CA108 nth 1 -- same
# added_cond_kwargs is dict[str, Tensor | None] | None (PixArt passes {"resolution": t, "aspect_ratio": t} or None):
# the "or" tests dict truthiness, never a tensor.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def emb(timestep, resolution=None, aspect_ratio=None, batch_size=None, hidden_dtype=None):
    out = timestep[:, None].float().repeat(1, 8)
    if resolution is not None:
        out = out + resolution.sum(-1, keepdim=True) + aspect_ratio
    return out


def ada_norm_single(timestep, added_cond_kwargs=None, batch_size=None, hidden_dtype=None):
    added_cond_kwargs = added_cond_kwargs or {"resolution": None, "aspect_ratio": None}
    return emb(timestep, **added_cond_kwargs, batch_size=batch_size, hidden_dtype=hidden_dtype)


def both(timestep, resolution, aspect_ratio):
    a = ada_norm_single(timestep, None, batch_size=2)
    b = ada_norm_single(timestep, {"resolution": resolution, "aspect_ratio": aspect_ratio}, batch_size=2)
    return a, b


check(both, torch.tensor([10, 20]), torch.rand(2, 2), torch.rand(2, 1))
