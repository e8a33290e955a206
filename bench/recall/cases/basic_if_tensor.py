"""Python `if` on tensor values (NaN guards, early exits) in a compiled function."""

import torch


@torch.compile
def safe_normalize(x, eps):
    norm = x.norm(dim=-1, keepdim=True)
    if (norm < eps).any():
        norm = norm.clamp_min(eps)
    out = x / norm
    if torch.isnan(out).any():
        out = torch.nan_to_num(out)
    return out


def case_if_tensor():
    return safe_normalize._torchdynamo_orig_callable, (torch.randn(3, 4), 1e-6)
