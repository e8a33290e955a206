# diffusers/utils/deprecation_utils.py CA113 nth 1 (line 98, deprecate): every call of deprecate() warns, but its
# callers in compiled code (module forwards and attention processors) call it only on deprecated usage:
# `if len(args) > 0 or kwargs.get("scale", None) is not None:` (the removed `scale` argument, in ~30 forwards), a
# Tensor instead of a tuple/list (`encoder_hidden_states` of the IP-Adapter processors, `image_embeds` of
# MultiIPAdapterImageProjection), legacy T2I residuals in UNet2DConditionModel; the other calls are in __new__ /
# __init__ / loading code. Pipelines pass none of these, so the warn is not traced in normal use: the forwards
# below, called as the pipelines call them, compile with fullgraph=True.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import inspect
import warnings

import torch
from torch import nn
from packaging import version

__version__ = "0.42.1"


def deprecate(*args, take_from=None, standard_warn=True, stacklevel=2):
    deprecated_kwargs = take_from
    values = ()
    if not isinstance(args[0], tuple):
        args = (args,)
    for attribute, version_name, message in args:
        if version.parse(version.parse(__version__).base_version) >= version.parse(version_name):
            raise ValueError(f"The deprecation tuple {(attribute, version_name, message)} should be removed")
        warning = None
        if isinstance(deprecated_kwargs, dict) and attribute in deprecated_kwargs:
            values += (deprecated_kwargs.pop(attribute),)
            warning = f"The `{attribute}` argument is deprecated and will be removed in version {version_name}."
        elif hasattr(deprecated_kwargs, attribute):
            values += (getattr(deprecated_kwargs, attribute),)
            warning = f"The `{attribute}` attribute is deprecated and will be removed in version {version_name}."
        elif deprecated_kwargs is None:
            warning = f"`{attribute}` is deprecated and will be removed in version {version_name}."
        if warning is not None:
            warning = warning + " " if standard_warn else ""
            warnings.warn(warning + message, FutureWarning, stacklevel=stacklevel)
    if isinstance(deprecated_kwargs, dict) and len(deprecated_kwargs) > 0:
        call_frame = inspect.getouterframes(inspect.currentframe())[1]
        raise TypeError(f"{call_frame.function} got an unexpected keyword argument")
    if len(values) == 0:
        return
    elif len(values) == 1:
        return values[0]
    return values


class ResnetBlock2D(nn.Module):  # diffusers/models/resnet.py:148
    def __init__(self, c=8):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, input_tensor, temb, *args, **kwargs):
        if len(args) > 0 or kwargs.get("scale", None) is not None:
            deprecation_message = "The `scale` argument is deprecated and will be ignored."
            deprecate("scale", "1.0.0", deprecation_message)
        return input_tensor + self.conv(input_tensor) + temb[:, :, None, None]


class MultiIPAdapterImageProjection(nn.Module):  # diffusers/models/embeddings.py:2349
    def __init__(self):
        super().__init__()
        self.image_projection_layers = nn.ModuleList([nn.Linear(8, 8)])

    def forward(self, image_embeds):
        projected_image_embeds = []
        if not isinstance(image_embeds, list):
            deprecation_message = "You have passed a tensor as `image_embeds`."
            deprecate("image_embeds not a list", "1.0.0", deprecation_message, standard_warn=False)
            image_embeds = [image_embeds.unsqueeze(1)]
        for image_embed, image_projection_layer in zip(image_embeds, self.image_projection_layers):
            projected_image_embeds.append(image_projection_layer(image_embed))
        return projected_image_embeds


class UNetLike(nn.Module):
    def __init__(self):
        super().__init__()
        self.res = ResnetBlock2D()
        self.ip = MultiIPAdapterImageProjection()

    def forward(self, sample, temb, image_embeds):
        sample = self.res(sample, temb)  # pipelines/UNet blocks never pass `scale`
        ip = self.ip(image_embeds)  # pipelines pass a list (prepare_ip_adapter_image_embeds)
        return sample.mean() + ip[0].mean()


check(UNetLike(), torch.randn(1, 8, 4, 4), torch.randn(1, 8), [torch.randn(1, 2, 8)])
