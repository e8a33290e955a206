# peft/tuners/boft/layer.py CA116 (lines 64, 72, 74: os.environ writes in patch_environment) and CA113 (lines 98,
# 99: the warnings when the CUDA extension fails to build), all inside get_fbd_cuda(). Compiled code reaches
# get_fbd_cuda() only through FastBlockDiag.apply (BOFT Linear/Conv2d forward, `if self.fbd_cuda_available:`), and
# fbd_cuda_available is True only when update_layer's eager call of get_fbd_cuda() (model creation) built the
# extension and cached it in the global _FBD_CUDA. So under compile get_fbd_cuda() always takes
# `if _FBD_CUDA is not None: return _FBD_CUDA`; the build, the environment patch and the warnings are never traced
# (when the build fails, fbd_cuda_available is False and FastBlockDiag is not used at all).
# The extension is stood in for by a Python object with torch ops (the real one is a compiled C++/CUDA module; what
# Dynamo does with its call is not what these findings claim).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import os
import warnings
from contextlib import contextmanager

import torch
from torch import nn
from torch.autograd import Function

_FBD_CUDA = None


class _FakeFbdExtension:
    @staticmethod
    def forward(input):
        return [torch.stack([torch.block_diag(*blocks) for blocks in input])]

    @staticmethod
    def backward(grad_output, input):
        n, d, h, _ = input.shape
        idx = torch.arange(d)
        g = grad_output.view(n, d, h, d, h)[:, idx, :, idx, :].permute(1, 0, 2, 3)
        return [g]


def load(name, sources, verbose=False):  # stands in for torch.utils.cpp_extension.load
    return _FakeFbdExtension()


@contextmanager
def patch_environment(**kwargs):
    existing_vars = {}
    for key, value in kwargs.items():
        key = key.upper()
        if key in os.environ:
            existing_vars[key] = os.environ[key]
        os.environ[key] = str(value)
    yield
    for key in kwargs:
        key = key.upper()
        if key in existing_vars:
            os.environ[key] = existing_vars[key]
        else:
            os.environ.pop(key, None)


def get_fbd_cuda():
    global _FBD_CUDA
    if _FBD_CUDA is not None:
        return _FBD_CUDA
    curr_dir = os.path.dirname(__file__)
    try:
        with patch_environment(CC="gcc", CXX="gcc"):
            fbd_cuda = load(name="fbd_cuda", sources=[f"{curr_dir}/fbd/fbd_cuda.cpp"], verbose=True)
    except Exception as e:
        warnings.warn(f"Failed to load the CUDA extension: {e}, check if ninja is available.")
        warnings.warn("Setting boft_n_butterfly_factor to 1 to speed up the finetuning process.")
        fbd_cuda = None
    _FBD_CUDA = fbd_cuda
    return _FBD_CUDA


class FastBlockDiag(Function):
    @staticmethod
    def forward(ctx, input):
        output = get_fbd_cuda().forward(input)[0]
        ctx.save_for_backward(input)
        return output

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return get_fbd_cuda().backward(grad_output, input)[0]


class BOFTLinearLike(nn.Module):
    def __init__(self, n=4, block=4):
        super().__init__()
        self.base_layer = nn.Linear(n * block, n * block)
        self.boft_R = nn.Parameter(torch.randn(1, n, block, block) * 0.01)
        # update_layer: "Attempt to load the CUDA extension during model initialization"
        self.fbd_cuda_available = bool(get_fbd_cuda())

    def forward(self, x):
        skew = self.boft_R - self.boft_R.transpose(-1, -2)
        eye = torch.eye(skew.shape[-1])
        orth_rotate_butterfly = torch.linalg.solve(eye + skew, eye - skew)
        if self.fbd_cuda_available:
            block_diagonal_butterfly = FastBlockDiag.apply(orth_rotate_butterfly)
        else:
            block_diagonal_butterfly = torch.block_diag(*orth_rotate_butterfly.squeeze(0)).unsqueeze(0)
        rotated_weight = block_diagonal_butterfly[0] @ self.base_layer.weight
        return nn.functional.linear(x, rotated_weight, self.base_layer.bias)


layer = BOFTLinearLike()
print("extension cached at init:", _FBD_CUDA is not None, "fbd_cuda_available:", layer.fbd_cuda_available)
check(layer, torch.randn(3, 16))
