# monai/networks/layers/convutils.py CA104 nth 1 (line 214, _modified_bessel_i: `if abs(bi) > 1.0e10:`). In the
# downward recurrence bi = bim = bip + float(j) * tox * bi is a 0-d float tensor (tox = 2.0 / torch.abs(x), x the 0-d
# sigma2 tensor of gaussian_1d(approx="scalespace")); `abs(bi) > 1.0e10` is a 0-d bool tensor and the `if` is
# data-dependent: fullgraph=True fails (GB0170). The earlier `if x == 0.0` fails too (n_10); shown: the loop itself.
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

import numpy as np


def bessel_i_loop(n: int, x: torch.Tensor) -> torch.Tensor:  # _modified_bessel_i after its `if x == 0.0` test
    device = x.device
    tox = 2.0 / torch.abs(x)
    ans, bip, bi = torch.tensor(0.0, device=device), torch.tensor(0.0, device=device), torch.tensor(1.0, device=device)
    m = int(2 * (n + np.floor(np.sqrt(40.0 * n))))
    for j in range(m, 0, -1):
        bim = bip + float(j) * tox * bi
        bip = bi
        bi = bim
        if abs(bi) > 1.0e10:
            ans = ans * 1.0e-10
            bi = bi * 1.0e-10
            bip = bip * 1.0e-10
        if j == n:
            ans = bip
    return ans / bi


sigma = torch.nn.Parameter(torch.tensor(1.5), requires_grad=False)
check(lambda s: bessel_i_loop(2, s * s), sigma)
