# f_13: peft peft/tuners/loha/layer.py:241 and peft/tuners/lokr/layer.py:309 (CA104
# `if (not self.training) or (self.training and torch.rand(1) > module_dropout):` in LycorisLayer-based forward).
# module_dropout is a Python float from the config (default 0.0); in training mode the `or` reaches
# `torch.rand(1) > module_dropout`, a tensor whose truth value is data-dependent -> break under fullgraph.
# (LoHa/LoKr training with torch.compile is a documented PEFT use.)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn as nn


class LoHaLinear(nn.Module):
    def __init__(self):
        super().__init__()
        self.base_layer = nn.Linear(8, 8)
        self.hada_w1_a = nn.ParameterDict({"default": nn.Parameter(torch.randn(8, 2))})
        self.hada_w1_b = nn.ParameterDict({"default": nn.Parameter(torch.randn(2, 8))})
        self.module_dropout = {"default": 0.0}
        self.active_adapters = ["default"]
        self._available_adapters = {"default"}

    def _get_delta_activations(self, a, x):
        return x @ (self.hada_w1_a[a] @ self.hada_w1_b[a]).T

    def forward(self, x):
        previous_dtype = x.dtype
        result = self.base_layer(x)
        for active_adapter in self.active_adapters:
            if active_adapter not in self._available_adapters:
                continue
            module_dropout = self.module_dropout[active_adapter]
            if (not self.training) or (self.training and torch.rand(1) > module_dropout):
                result = result + self._get_delta_activations(active_adapter, x)
        return result.to(previous_dtype)


check(LoHaLinear().train(), torch.randn(2, 8))
