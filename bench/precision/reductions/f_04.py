# f_04: peft "Already unmerged. Nothing to do." warns (CA113) in the unmerge() of every tuner layer:
#   adalora/layer.py:161,295  adamss/layer.py:518  beft/layer.py:127  boft/layer.py:546,866  c3a/layer.py:175
#   deft/layer.py:295  delora/layer.py:219  fourierft/layer.py:162  frod/layer.py:223  gralora/layer.py:226
#   hira/bnb.py:107,330  hira/layer.py:108  hra/layer.py:202,366  ia3/layer.py:154,307  ln_tuning/layer.py:96
#   lora/bnb.py:142,419  lora/hqq.py:117  lora/layer.py:1027,1381,1738,2670  lora/tp_layer.py:265
#   miss/layer.py:216  oft/layer.py:590,837,1061  peanut/layer.py:200  psoft/layer.py:432  pvera/bnb.py:99,307
#   pvera/layer.py:235  randlora/bnb.py:110,329  randlora/layer.py:251  road/bnb.py:119,306  road/layer.py:296
#   shira/layer.py:200  supertuning/layer.py:244  tinylora/layer.py:366,553  trainable_tokens/layer.py:209
#   unilora/layer.py:196  vblora/layer.py:174  vera/layer.py:204  waveft/layer.py:260
# The only call from forward is `if self.disable_adapters: if self.merged: self.unmerge()`; `merged` is
# bool(self.merged_adapters) (a Python list), so inside unmerge() `if not self.merged` is constant False on
# that path and the warn is never traced. The other callers (unmerge_adapter, merge, enable_adapters) are
# eager utilities.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import warnings
import torch
import torch.nn as nn


class LoraLinear(nn.Module):
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
    def merged(self) -> bool:
        return bool(self.merged_adapters)

    @property
    def disable_adapters(self) -> bool:
        return self._disable_adapters

    def get_delta_weight(self, a):
        return (self.lora_B[a].weight @ self.lora_A[a].weight) * self.scaling[a]

    def unmerge(self) -> None:
        if not self.merged:
            warnings.warn("Already unmerged. Nothing to do.")
            return
        while len(self.merged_adapters) > 0:
            active_adapter = self.merged_adapters.pop()
            if active_adapter in self.lora_A.keys():
                weight = self.base_layer.weight
                weight.data -= self.get_delta_weight(active_adapter).to(weight.dtype)

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


x = torch.randn(3, 8)
for state, (dis, merged) in {"adapters on": (False, []), "merged": (False, ["default"]),
                             "disabled, merged (lazy unmerge)": (True, ["default"])}.items():
    layer = LoraLinear()
    layer._disable_adapters, layer.merged_adapters = dis, list(merged)
    torch._dynamo.reset()
    try:
        torch.compile(layer, fullgraph=True, backend="eager")(x)
        print(f"{state}: compiles with fullgraph (warn not traced)")
    except Exception as e:
        print(f"{state}: {type(e).__name__}: {str(e).strip().splitlines()[0]}")

layer = LoraLinear()
layer._disable_adapters = True  # with model.disable_adapter(): the forward evaluates `if self.merged` -> False
check(layer, x)
