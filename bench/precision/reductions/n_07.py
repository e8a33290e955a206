# monai/networks/layers/convutils.py CA104 nth 1 (line 158, _modified_bessel_0: `if torch.abs(x) < 3.75:`).
# With GaussianFilter(approx="scalespace") (a documented option), gaussian_1d calls _modified_bessel_0(sigma2) on
# every forward with sigma2 = sigma * sigma, a 0-d float tensor from the nn.Parameter sigma. torch.abs(x) < 3.75 is a
# 0-d bool tensor: branching on it is data-dependent and fails fullgraph=True (GB0170). Real function, real argument.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def polyval(coef, x):
    device = x.device if isinstance(x, torch.Tensor) else None
    coef = torch.as_tensor(coef, dtype=torch.float, device=device)
    if coef.ndim == 0 or (len(coef) < 1):
        return torch.zeros(x.shape)
    x = torch.as_tensor(x, dtype=torch.float, device=device)
    ans = coef[0]
    for c in coef[1:]:
        ans = ans * x + c
    return ans


def _modified_bessel_0(x: torch.Tensor) -> torch.Tensor:
    x = torch.as_tensor(x, dtype=torch.float, device=x.device if isinstance(x, torch.Tensor) else None)
    if torch.abs(x) < 3.75:
        y = x * x / 14.0625
        return polyval([0.45813e-2, 0.360768e-1, 0.2659732, 1.2067492, 3.0899424, 3.5156229, 1.0], y)
    ax = torch.abs(x)
    y = 3.75 / ax
    _coef = [0.392377e-2, -0.1647633e-1, 0.2635537e-1, -0.2057706e-1, 0.916281e-2, -0.157565e-2, 0.225319e-2,
             0.1328592e-1, 0.39894228]
    return polyval(_coef, y) * torch.exp(ax) / torch.sqrt(ax)


def scalespace_kernel_head(sigma):  # gaussian_1d(sigma, approx="scalespace"): sigma2 = sigma * sigma; _modified_bessel_0(sigma2)
    sigma = torch.as_tensor(sigma, dtype=torch.float, device=sigma.device)
    sigma2 = sigma * sigma
    return _modified_bessel_0(sigma2) * torch.exp(-sigma2)


check(scalespace_kernel_head, torch.nn.Parameter(torch.tensor(1.5), requires_grad=False))
