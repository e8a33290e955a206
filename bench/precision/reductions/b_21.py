# x_transformers/x_transformers.py CA104 nth 1 (line 3653, `layer_mem = mems.pop(0) if mems else None`)
# and nth 1 (line 3654, `layer_mem_mask = mem_masks.pop(0) if mem_masks else None`) in
# AttentionLayers.forward: mems / mem_masks are Python lists (mems.copy() or [None] * num_attn_layers),
# so list truthiness is static.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def exists(v):
    return v is not None


def layers_forward(x, mems=None, mem_masks=None, num_attn_layers=2):
    mems = mems.copy() if exists(mems) else [None] * num_attn_layers
    mem_masks = mem_masks.copy() if exists(mem_masks) else [None] * num_attn_layers
    for _ in range(num_attn_layers):
        layer_mem = mems.pop(0) if mems else None
        layer_mem_mask = mem_masks.pop(0) if mem_masks else None
        if layer_mem is not None:
            x = x + layer_mem.mean()
        if layer_mem_mask is not None:
            x = x * layer_mem_mask.float().mean()
    return x


def run(x, m0, m1, mm):
    return layers_forward(x) + layers_forward(x, mems=[m0, m1], mem_masks=[mm, mm])


check(run, torch.randn(1, 4, 8), torch.randn(1, 3, 8), torch.randn(1, 3, 8), torch.ones(1, 3, dtype=torch.bool))
