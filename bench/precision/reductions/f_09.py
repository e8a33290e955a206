# f_09: peft peft/tuners/shira/layer.py:44 and peft/tuners/supertuning/layer.py:44 (CA113 warnings.warn in the
# lru_cache'd _warn_once_about_module_hooks, called from the adapter forward). Dynamo ignores the lru_cache
# wrapper and traces the body, but the warn only runs if the wrapped base layer has forward/backward hooks
# (OrderedDicts Dynamo reads as constants); in normal use they are empty, so the warn is not traced.
# (ShiRA's sparse delta breaks separately, at another line.) (Printed first: with a hook registered on the base layer the warn is traced and breaks.)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import warnings
from functools import lru_cache
import torch
import torch.nn as nn
import torch.nn.functional as F


@lru_cache(None)
def _warn_once_about_module_hooks(shira_layer):
    base_layer = shira_layer.get_base_layer()
    if any(
        [
            base_layer._forward_hooks,
            base_layer._forward_pre_hooks,
            base_layer._backward_hooks,
            base_layer._backward_pre_hooks,
        ]
    ):
        warnings.warn("One of the base layers adapted with ShiRA has backward/forward (pre) hooks set ...")


class ShiraLinear(nn.Module):
    def __init__(self):
        super().__init__()
        self.base_layer = nn.Linear(8, 8)
        self.shira_weight = nn.ParameterDict({"default": nn.Parameter(torch.randn(6) * 0.01)})
        self.register_buffer("shira_indices", torch.tensor([[0, 1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6]]))
        self.active_adapters = ["default"]

    def get_base_layer(self):
        return self.base_layer

    def get_delta_weight(self, a):
        # ShiRA builds this with torch.sparse_coo_tensor, which Dynamo cannot trace (a separate break at another
        # line); a dense index_put keeps this reduction about the flagged warn.
        return torch.zeros(8, 8).index_put((self.shira_indices[0], self.shira_indices[1]), self.shira_weight[a])

    def forward(self, x):
        _warn_once_about_module_hooks(self)
        new_weight = self.base_layer.weight.clone()
        for active_adapter in self.active_adapters:
            if active_adapter not in self.shira_weight.keys():
                continue
            new_weight = new_weight + self.get_delta_weight(active_adapter)
        return F.linear(x, new_weight, self.base_layer.bias)


x = torch.randn(2, 8)
hooked = ShiraLinear()
hooked.base_layer.register_forward_hook(lambda *a: None)
try:
    torch.compile(hooked, fullgraph=True, backend="eager")(x)
    print("hook on base layer: compiles")
except Exception as e:
    print("hook on base layer (not normal use):", type(e).__name__, str(e).strip().splitlines()[0])

check(ShiraLinear(), x)
