# torchvision/models/detection/transform.py:55 CA102: scale_factor = scale.item() in _resize_image_and_masks.
# The branch runs only under TorchScript (torch.jit.is_scripting()) or ONNX tracing (torchvision._is_tracing() =
# torch._C._get_tracing_state()); under Dynamo both are False, so the "normal way" branch computes scale_factor
# from Python ints (image.shape) and the .item() is never traced.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def _is_tracing():
    return torch._C._get_tracing_state()


def _resize_image_and_masks(image, self_min_size: int, self_max_size: int, fixed_size=None):
    if _is_tracing():
        im_shape = None
    elif torch.jit.is_scripting():
        im_shape = torch.tensor(image.shape[-2:])
    else:
        im_shape = image.shape[-2:]
    size = None
    scale_factor = None
    recompute_scale_factor = None
    if fixed_size is not None:
        size = [fixed_size[1], fixed_size[0]]
    else:
        if torch.jit.is_scripting() or _is_tracing():
            min_size = torch.min(im_shape).to(dtype=torch.float32)
            max_size = torch.max(im_shape).to(dtype=torch.float32)
            scale = torch.min(float(self_min_size) / min_size, float(self_max_size) / max_size)
            if _is_tracing():
                scale_factor = scale
            else:
                scale_factor = scale.item()
        else:
            min_size = min(im_shape)
            max_size = max(im_shape)
            scale_factor = min(self_min_size / min_size, self_max_size / max_size)
        recompute_scale_factor = True
    return torch.nn.functional.interpolate(image[None], size=size, scale_factor=scale_factor, mode="bilinear",
                                           recompute_scale_factor=recompute_scale_factor, align_corners=False)[0]


check(_resize_image_and_masks, torch.randn(3, 60, 80), 32, 64, mode="default")
