# diffusers/models/transformers/transformer_wan_animate_2.py CA103 nth 1 (line 931, unpatchify called at the end of
# WanAnimate2Transformer3DModel.forward): grid_sizes is the int64 (B, 3) Tensor forward builds with
# torch.stack([torch.tensor(u.shape[2:], dtype=torch.long) ...]); its .tolist() breaks plain torch.compile (GB0033).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import math
import torch


def forward(hidden_states_list, x, patch_size=(1, 2, 2), c=4):
    grid_sizes = torch.stack([torch.tensor(u.shape[2:], dtype=torch.long) for u in hidden_states_list])
    out = []
    for u, v in zip(x, grid_sizes.tolist()):
        u = u[: math.prod(v)].view(*v, *patch_size, c)
        out.append(u)
    return out


check(forward, [torch.randn(1, 8, 2, 3, 3)], torch.randn(1, 18, 16), mode="default")
