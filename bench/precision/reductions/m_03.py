# monai/networks/layers/simplelayers.py CA104 nth 1 (line 187, _separable_filtering_conv). The `and`
# short-circuits on the Python bool `_kernel.numel() == 1`, so with GaussianFilter's kernels (always >= 3
# taps) the tensor comparison is never evaluated. SavitzkyGolayFilter.forward on a 2-D/3-D input, however,
# passes torch.ones(1) kernels for the non-filtered axes (the case this shortcut exists for): then
# `_kernel[0] == 1` is a Tensor and the `if` is data-dependent branching -> fullgraph fails.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F


def _separable_filtering_conv(input_, kernels, pad_mode, d, spatial_dims, paddings, num_channels):
    if d < 0:
        return input_
    s = [1] * len(input_.shape)
    s[d + 2] = -1
    _kernel = kernels[d].reshape(s)
    if _kernel.numel() == 1 and _kernel[0] == 1:
        return _separable_filtering_conv(input_, kernels, pad_mode, d - 1, spatial_dims, paddings, num_channels)
    _kernel = _kernel.repeat([num_channels, 1] + [1] * spatial_dims)
    _padding = [0] * spatial_dims
    _padding[d] = paddings[d]
    conv_type = [F.conv1d, F.conv2d, F.conv3d][spatial_dims - 1]
    _rev = [[p, p] for p in reversed(_padding)]
    padded_input = F.pad(input_, sum(_rev, []), mode=pad_mode)
    return conv_type(
        input=_separable_filtering_conv(padded_input, kernels, pad_mode, d - 1, spatial_dims, paddings, num_channels),
        weight=_kernel,
        groups=num_channels,
    )


def separable_filtering(x, kernels, mode="zeros"):
    spatial_dims = len(x.shape) - 2
    _kernels = [s.to(x) for s in kernels]
    _paddings = [(k.shape[0] - 1) // 2 for k in _kernels]
    pad_mode = "constant" if mode == "zeros" else mode
    return _separable_filtering_conv(x, _kernels, pad_mode, spatial_dims - 1, spatial_dims, _paddings, x.shape[1])


coeffs = torch.tensor([-3.0, 12.0, 17.0, 12.0, -3.0]) / 35.0  # savgol window 5, order 2


def savgol_forward(x, axis=2):  # SavitzkyGolayFilter.forward, default axis 2
    x = x.to(dtype=torch.float)
    n_spatial_dims = len(x.shape) - 2
    spatial_processing_axis = axis - 2
    kernel_list = [coeffs.to(device=x.device, dtype=x.dtype)]
    for _ in range(spatial_processing_axis):
        kernel_list.insert(0, torch.ones(1, device=x.device, dtype=x.dtype))
    for _ in range(n_spatial_dims - spatial_processing_axis - 1):
        kernel_list.append(torch.ones(1, device=x.device, dtype=x.dtype))
    return separable_filtering(x, kernel_list, mode="zeros")


check(savgol_forward, torch.randn(1, 1, 16, 16))
