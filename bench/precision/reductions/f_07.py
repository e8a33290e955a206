# f_07: peft bitsandbytes unmerge warns (CA113 "Unmerge <method> module to 8-bit/4-bit linear may get different
# generations due to rounding errors."): hira/bnb.py:114,337  lora/bnb.py:149,426  pvera/bnb.py:106,314
# randlora/bnb.py:117,336  road/bnb.py:125,312.
# The warn sits in the `while self.merged_adapters` loop of unmerge(), an eager utility (unmerge_adapter,
# merge_and_unload). Forward reaches it only as a one-off lazy unmerge when adapters are disabled on a merged
# layer (it then dequantizes and rebuilds the Int8Params/Params4bit weight); afterwards merged_adapters is empty
# and compiled forwards never trace it. In the states a compiled model runs in (adapters on, merged, disabled)
# the line is not traced. (bitsandbytes is mocked: a plain weight stands in for the quantized one.)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import warnings
import torch
import torch.nn as nn


class Linear8bitLt(nn.Module):
    def __init__(self):
        super().__init__()
        self.base_layer = nn.Linear(8, 8)
        self.lora_A = nn.ModuleDict({"default": nn.Linear(8, 2, bias=False)})
        self.lora_B = nn.ModuleDict({"default": nn.Linear(2, 8, bias=False)})
        self.scaling = {"default": 2.0}
        self.active_adapters = ["default"]
        self.merged_adapters = []
        self._disable_adapters = False

    @property
    def merged(self):
        return bool(self.merged_adapters)

    @property
    def disable_adapters(self):
        return self._disable_adapters

    def get_delta_weight(self, a):
        return (self.lora_B[a].weight @ self.lora_A[a].weight) * self.scaling[a]

    def unmerge(self) -> None:
        if not self.merged:
            warnings.warn("Already unmerged. Nothing to do.")
            return
        while len(self.merged_adapters) > 0:
            active_adapter = self.merged_adapters.pop()
            if active_adapter not in self.lora_A.keys():
                continue
            warnings.warn(
                "Unmerge lora module to 8-bit linear may get different generations due to rounding errors."
            )
            weight = self.base_layer.weight
            w_data = weight.data - self.get_delta_weight(active_adapter)
            weight.data = w_data

    def forward(self, x):
        if self.disable_adapters:
            if self.merged:
                self.unmerge()
            result = self.base_layer(x)
        elif self.merged:
            result = self.base_layer(x)
        else:
            result = self.base_layer(x)
            for active_adapter in self.active_adapters:
                if active_adapter not in self.lora_A.keys():
                    continue
                result = result + self.lora_B[active_adapter](self.lora_A[active_adapter](x)) * self.scaling[active_adapter]
        return result


def make(disabled, merged):
    m = Linear8bitLt()
    m._disable_adapters, m.merged_adapters = disabled, list(merged)
    return m


x = torch.randn(3, 8)
for state, args in {"merged": (False, ["default"]), "disabled": (True, []),
                    "one-off: disabled while merged (lazy unmerge)": (True, ["default"])}.items():
    torch._dynamo.reset()
    try:
        torch.compile(make(*args), fullgraph=True, backend="eager")(x)
        print(f"{state}: compiles with fullgraph")
    except Exception as e:
        print(f"{state}: {type(e).__name__}: {str(e).strip().splitlines()[0]}")

check(make(False, []), x)  # adapters on (training / inference)
