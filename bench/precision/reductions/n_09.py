# monai/networks/layers/convutils.py CA104 nth 1 (line 197, _modified_bessel_1: `return -ans if x < 0.0 else ans`).
# x is sigma2 = sigma * sigma, the 0-d float tensor gaussian_1d(approx="scalespace") passes on every
# GaussianFilter(approx="scalespace") forward; the line runs when |x| >= 3.75 (sigma >= ~1.94). `x < 0.0` is a 0-d
# bool tensor and the conditional expression needs its truth value: data-dependent, fullgraph=True fails (GB0170).
# The `if torch.abs(x) < 3.75` just before fails too (n_08); shown here: the code from that test's else-branch on.
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


def bessel_1_large(x: torch.Tensor) -> torch.Tensor:  # _modified_bessel_1 after its first test, |x| >= 3.75
    ax = torch.abs(x)
    y = 3.75 / ax
    _coef = [-0.420059e-2, 0.1787654e-1, -0.2895312e-1, 0.2282967e-1, -0.1031555e-1, 0.163801e-2, -0.362018e-2,
             -0.3988024e-1, 0.39894228]
    ans = polyval(_coef, y) * torch.exp(ax) / torch.sqrt(ax)
    return -ans if x < 0.0 else ans


sigma = torch.nn.Parameter(torch.tensor(2.5), requires_grad=False)
check(lambda s: bessel_1_large(s * s), sigma)
