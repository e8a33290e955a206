# monai networks/layers/simplelayers.py:485 `in_tensor.reshape(oprod, 1, *sshape)` and :492
# `features.view(oprod, -1, *sshape)` (CA143): median_filter (MedianFilter.forward) computes
# `oprod = torch.prod(convert_to_tensor(oshape, int, wrap_sequence=True))`, a 0-d tensor, and passes it as a size:
# Python needs an int, Dynamo reads the value, a graph break in plain torch.compile.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def median_filter(in_tensor, kernel, spatial_dims: int = 2):
    original_shape = in_tensor.shape
    oshape, sshape = original_shape[: len(original_shape) - spatial_dims], original_shape[-spatial_dims:]
    oprod = torch.prod(torch.as_tensor(oshape, dtype=torch.int64))
    reshaped_input = in_tensor.reshape(oprod, 1, *sshape)
    padded = torch.nn.functional.pad(reshaped_input, pad=[1, 1, 1, 1], mode="replicate")
    features = torch.nn.functional.conv2d(padded, kernel)
    features = features.view(oprod, -1, *sshape)
    return torch.median(features, dim=1)[0].reshape(original_shape)


check(median_filter, torch.rand(1, 2, 8, 8), torch.diag(torch.ones(9)).view(9, 1, 3, 3), mode="default")
