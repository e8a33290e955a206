# monai/networks/layers/convutils.py CA106 nth 1 (line 108, gaussian_1d: `tail = int(max(float(sigma) * truncated,
# 0.5) + 0.5)`). GaussianFilter.forward rebuilds its kernels every call, `[gaussian_1d(s, truncated=self.truncated,
# approx=self.approx) for s in self.sigma]`, where each s is an nn.Parameter (0-d float; learnable with
# requires_grad=True). as_tensor keeps it a Tensor and float(sigma) is an implicit .item(): plain torch.compile of a
# model holding a GaussianFilter breaks here (GB0124, Tensor.item() with capture_scalar_outputs=False). Real
# GaussianFilter.forward / gaussian_1d (erf, the default approx); separable filtering reduced to the 1-D convs.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F


def gaussian_1d(sigma, truncated=4.0, approx="erf", normalize=False):
    sigma = torch.as_tensor(sigma, dtype=torch.float, device=sigma.device if isinstance(sigma, torch.Tensor) else None)
    device = sigma.device
    if truncated <= 0.0:
        raise ValueError(f"truncated must be positive, got {truncated}.")
    tail = int(max(float(sigma) * truncated, 0.5) + 0.5)
    if approx.lower() == "erf":
        x = torch.arange(-tail, tail + 1, dtype=torch.float, device=device)
        t = 0.70710678 / torch.abs(sigma)
        out = 0.5 * ((t * (x + 0.5)).erf() - (t * (x - 0.5)).erf())
        out = out.clamp(min=0)
    else:
        raise NotImplementedError(approx)
    return out / out.sum() if normalize else out


def separable_filtering(x, kernels):
    for d, k in enumerate(kernels):
        shape = [1, 1, 1]
        shape[d + 1] = -1
        w = k.reshape(shape).repeat(x.shape[1], 1, 1, 1)
        pad = [0, 0, 0, 0]
        pad[2 - 2 * d] = pad[3 - 2 * d] = (k.shape[0] - 1) // 2
        x = F.conv2d(F.pad(x, pad), w, groups=x.shape[1])
    return x


class GaussianFilter(torch.nn.Module):
    def __init__(self, spatial_dims, sigma, truncated=4.0, approx="erf", requires_grad=False):
        super().__init__()
        self.sigma = [torch.nn.Parameter(torch.as_tensor(sigma, dtype=torch.float), requires_grad=requires_grad)
                      for _ in range(spatial_dims)]
        self.truncated = truncated
        self.approx = approx
        for idx, param in enumerate(self.sigma):
            self.register_parameter(f"kernel_sigma_{idx}", param)

    def forward(self, x):
        _kernel = [gaussian_1d(s, truncated=self.truncated, approx=self.approx) for s in self.sigma]
        return separable_filtering(x, _kernel)


check(GaussianFilter(2, 1.5, requires_grad=True), torch.randn(1, 2, 32, 32), mode="default")
