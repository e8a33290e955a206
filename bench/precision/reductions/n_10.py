# monai/networks/layers/convutils.py CA104 nth 1 (line 204, _modified_bessel_i: `if x == 0.0:`). gaussian_1d(approx=
# "scalespace") calls _modified_bessel_i(k, sigma2) for k in range(2, tail + 1) on every GaussianFilter(approx=
# "scalespace") forward; x = as_tensor(sigma2) is a 0-d float tensor, so `x == 0.0` is a 0-d bool tensor and the
# `if` is data-dependent branching: fullgraph=True fails (GB0170). Real function (its first lines), real argument.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def polyval(coef, x):  # monai.networks.layers.convutils.polyval
    device = x.device if isinstance(x, torch.Tensor) else None
    coef = torch.as_tensor(coef, dtype=torch.float, device=device)
    if coef.ndim == 0 or (len(coef) < 1):
        return torch.zeros(x.shape)
    x = torch.as_tensor(x, dtype=torch.float, device=device)
    ans = coef[0]
    for c in coef[1:]:
        ans = ans * x + c
    return ans


def _modified_bessel_i_head(n: int, x: torch.Tensor) -> torch.Tensor:
    if n < 2:
        raise ValueError(f"n must be greater than 1, got n={n}.")
    x = torch.as_tensor(x, dtype=torch.float, device=x.device if isinstance(x, torch.Tensor) else None)
    if x == 0.0:
        return x
    return 2.0 / torch.abs(x)


sigma = torch.nn.Parameter(torch.tensor(1.5), requires_grad=False)
check(lambda s: _modified_bessel_i_head(2, s * s), sigma)
