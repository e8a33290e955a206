# f_08: peft peft/tuners/lora/layer.py:2630 (CA113 warnings.warn in lora.ParamWrapper._remove_parametrizations).
# The warn is in the `for ... else` branch reached only when no _LoraParameterProxy is found among the
# parametrizations of the targeted parameter, which PEFT itself notes "should not happen": _activate_lora
# registered that proxy just before. With one parametrization the function returns early; with several, the
# loop finds the proxy (an isinstance check Dynamo folds) and breaks, so the else/warn is never traced.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import warnings
import torch
import torch.nn as nn


class _LoraParameterProxy(nn.Module):
    def __init__(self, delta_weight):
        super().__init__()
        self.delta_weight = delta_weight

    def forward(self, W):
        return W + self.delta_weight


class OtherParametrization(nn.Module):  # e.g. a parametrization the user registered before PEFT
    def forward(self, W):
        return W * 1.0


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.param_list = nn.ModuleList([OtherParametrization(), _LoraParameterProxy(torch.zeros(4, 4))])
        self.weight = nn.Parameter(torch.randn(4, 4))

    def _remove_parametrizations(self):
        param_list = self.param_list
        if len(param_list) == 1:
            return
        reversed_indices = reversed(range(len(param_list)))
        for i in reversed_indices:
            module = param_list[i]
            if isinstance(module, _LoraParameterProxy):
                del param_list[i]
                break
        else:  # no break encountered
            warnings.warn(f"Could not find any LoRA parametrization on {self}, please open an issue.")

    def forward(self, x):
        w = self.weight
        for p in self.param_list:
            w = p(w)
        out = x @ w
        self._remove_parametrizations()
        return out


check(Layer(), torch.randn(2, 4))
