# monai/networks/layers/convutils.py CA104 nth 1 (line 221, _modified_bessel_i: `return -ans if x < 0.0 and (n % 2) == 1
# else ans`). x is the 0-d float sigma2 tensor of gaussian_1d(approx="scalespace"); `x < 0.0` is evaluated first and
# `and` needs its truth value: data-dependent, fullgraph=True fails (GB0170). Earlier tests of the function fail too
# (n_10, n_11); shown: the return line with the values it gets (ans a 0-d tensor, n an int).
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


def bessel_i_return(n: int, x: torch.Tensor, ans: torch.Tensor) -> torch.Tensor:
    return -ans if x < 0.0 and (n % 2) == 1 else ans


sigma = torch.nn.Parameter(torch.tensor(1.5), requires_grad=False)
check(lambda s, a: bessel_i_return(3, s * s, a), sigma, torch.tensor(0.02))
