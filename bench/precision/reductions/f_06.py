# f_06: peft peft/tuners/ia3/layer.py:157 and :310 (CA113 "Unmerge result can be inaccurate for (IA)^3." in
# IA3 Linear/Conv unmerge()). unmerge() is an eager utility (unmerge_adapter / merge / merge_and_unload); the
# forward only calls it as a lazy one-off when adapters are disabled on a merged layer
# (`if self.disable_adapters: if self.merged: self.unmerge()`), after which merged_adapters is empty and no
# later compiled forward traces it. In the states a compiled IA3 model runs in (adapters on, merged for
# inference, disabled) the line is not traced. Printed below: only the one-off merged+disabled transition
# reaches the warn.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import warnings
import torch
import torch.nn as nn


class IA3Linear(nn.Module):
    def __init__(self):
        super().__init__()
        self.base_layer = nn.Linear(8, 8)
        self.ia3_l = nn.ParameterDict({"default": nn.Parameter(torch.rand(8, 1) + 0.5)})
        self.active_adapters = ["default"]
        self.merged_adapters = []
        self._disable_adapters = False

    @property
    def merged(self):
        return bool(self.merged_adapters)

    @property
    def disable_adapters(self):
        return self._disable_adapters

    def unmerge(self) -> None:
        if not self.merged:
            warnings.warn("Already unmerged. Nothing to do.")
            return
        warnings.warn("Unmerge result can be inaccurate for (IA)^3.")
        while len(self.merged_adapters) > 0:
            active_adapter = self.merged_adapters.pop()
            if active_adapter in self.ia3_l.keys():
                ia3_l = self.ia3_l[active_adapter].data + 1e-8
                orig_dtype = self.base_layer.weight.data.dtype
                self.base_layer.weight.data = torch.div(self.base_layer.weight.data, ia3_l).to(orig_dtype)

    def forward(self, x):
        dtype = previous_dtype = x.dtype
        if self.disable_adapters:
            if self.merged:
                self.unmerge()
            result = self.base_layer(x)
        elif self.merged:
            result = self.base_layer(x)
        else:
            ia3_scaling = 1
            for active_adapter in self.active_adapters:
                if active_adapter not in self.ia3_l.keys():
                    continue
                dtype = self.ia3_l[active_adapter].dtype
                ia3_scaling *= self.ia3_l[active_adapter].flatten()
            result = self.base_layer(x)
            result = result.to(dtype) * ia3_scaling
        return result.to(previous_dtype)


def make(disabled, merged):
    m = IA3Linear()
    m._disable_adapters, m.merged_adapters = disabled, list(merged)
    return m


x = torch.randn(3, 8)
for state, args in {"adapters on": (False, []), "disabled": (True, []),
                    "one-off: disabled while merged (lazy unmerge)": (True, ["default"])}.items():
    torch._dynamo.reset()
    try:
        torch.compile(make(*args), fullgraph=True, backend="eager")(x)
        print(f"{state}: compiles with fullgraph")
    except Exception as e:
        print(f"{state}: {type(e).__name__}: {str(e).strip().splitlines()[0]}")

check(make(False, ["default"]), x)  # merged for inference (merge_adapter), adapters on
