# g_18: transformers_holdout models/wav2vec2/modeling_wav2vec2.py:1872 CA113 `warnings.warn(`
# TDNNLayer.forward (Wav2Vec2ForXVector): with peft installed and LoRA applied to TDNNLayer.kernel (e.g.
# target_modules="all-linear" wraps this nn.Linear), isinstance(self.kernel, LoraLayer) is True and
# warnings.warn runs on every forward. LoraLayer below is a stand-in for peft.tuners.lora.LoraLayer.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import functools
import warnings
import torch
import torch.nn as nn


class LoraLayer(nn.Module):  # stand-in: peft's lora.Linear wrapping the base nn.Linear
    def __init__(self, base_layer):
        super().__init__()
        self.base_layer = base_layer

    @property
    def weight(self):
        return self.base_layer.weight

    @property
    def bias(self):
        return self.base_layer.bias


def is_peft_available():
    return True


def force_accelerate_hooks(name):  # transformers.integrations.accelerate (no _hf_hook here)
    def deco(fn):
        @functools.wraps(fn)
        def wrapped(self, *args, **kwargs):
            hook = getattr(getattr(self, name), "_hf_hook", None)
            if hook is not None:
                hook.pre_forward(getattr(self, name))
            return fn(self, *args, **kwargs)
        return wrapped
    return deco


class TDNNLayer(nn.Module):
    def __init__(self, in_dim=8, out_dim=8, kernel_size=3, dilation=1):
        super().__init__()
        self.in_conv_dim, self.out_conv_dim, self.kernel_size, self.dilation = in_dim, out_dim, kernel_size, dilation
        self.kernel = nn.Linear(in_dim * kernel_size, out_dim)
        self.activation = nn.ReLU()

    @force_accelerate_hooks("kernel")
    def forward(self, hidden_states):
        if is_peft_available():
            if isinstance(self.kernel, LoraLayer):
                warnings.warn(
                    "Detected LoRA on TDNNLayer. LoRA weights won't be applied due to optimization. "
                    "You should exclude TDNNLayer from LoRA's target modules.",
                )
        hidden_states = hidden_states.transpose(1, 2)
        weight = self.kernel.weight.view(self.out_conv_dim, self.kernel_size, self.in_conv_dim).transpose(1, 2)
        hidden_states = nn.functional.conv1d(hidden_states, weight, self.kernel.bias, dilation=self.dilation)
        return self.activation(hidden_states.transpose(1, 2))


layer = TDNNLayer()
layer.kernel = LoraLayer(layer.kernel)  # what peft's inject_adapter does for a targeted nn.Linear
check(layer, torch.randn(2, 10, 8))
