# monai/networks/layers/convutils.py CA104 nth 2 (line 179, _modified_bessel_1: `if torch.abs(x) < 3.75:`; nth 1 is
# the same text in _modified_bessel_0, n_07). gaussian_1d(approx="scalespace") calls _modified_bessel_1(sigma2) on
# every GaussianFilter(approx="scalespace") forward, sigma2 = sigma * sigma a 0-d float tensor from the nn.Parameter
# sigma; branching on torch.abs(x) < 3.75 is data-dependent and fails fullgraph=True (GB0170). Real function.
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


def _modified_bessel_1(x: torch.Tensor) -> torch.Tensor:
    x = torch.as_tensor(x, dtype=torch.float, device=x.device if isinstance(x, torch.Tensor) else None)
    if torch.abs(x) < 3.75:
        y = x * x / 14.0625
        _coef = [0.32411e-3, 0.301532e-2, 0.2658733e-1, 0.15084934, 0.51498869, 0.87890594, 0.5]
        return torch.abs(x) * polyval(_coef, y)
    ax = torch.abs(x)
    y = 3.75 / ax
    _coef = [-0.420059e-2, 0.1787654e-1, -0.2895312e-1, 0.2282967e-1, -0.1031555e-1, 0.163801e-2, -0.362018e-2,
             -0.3988024e-1, 0.39894228]
    ans = polyval(_coef, y) * torch.exp(ax) / torch.sqrt(ax)
    return -ans if x < 0.0 else ans


def head(sigma):  # gaussian_1d, scalespace branch: sigma2 = sigma * sigma; _modified_bessel_1(sigma2)
    sigma = torch.as_tensor(sigma, dtype=torch.float, device=sigma.device)
    sigma2 = sigma * sigma
    return _modified_bessel_1(sigma2) * torch.exp(-sigma2)


check(head, torch.nn.Parameter(torch.tensor(1.5), requires_grad=False))
