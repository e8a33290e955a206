# f_15: peft peft/tuners/lora/layer.py:2052 and :2060 (CA104 `if not torch.isfinite(orig_weight_in).all()` /
# `... orig_weight_out ...` in lora.MultiheadAttention.merge, under `if safe_merge:`).
# MultiheadAttention.forward does call merge() on every call, but as self.merge(adapter_names=active_adapters),
# i.e. with the default safe_merge=False (a Python bool), so the NaN checks are not traced; safe_merge=True only
# comes from the eager merge_adapter/merge_and_unload utilities.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn as nn
import torch.nn.functional as F


class LoraMHA(nn.Module):
    def __init__(self, d=8):
        super().__init__()
        self.in_proj_weight = nn.Parameter(torch.randn(3 * d, d), requires_grad=False)
        self.lora_A = nn.ModuleDict({"default": nn.Linear(d, 2, bias=False)})
        self.lora_B = nn.ModuleDict({"default": nn.Linear(2, 3 * d, bias=False)})
        self.active_adapters = ["default"]
        self.merged_adapters = []
        self._merged = None

    def get_delta_weight(self, a):
        return self.lora_B[a].weight @ self.lora_A[a].weight

    def merge(self, safe_merge: bool = False, adapter_names=None) -> None:
        for active_adapter in adapter_names:
            if active_adapter in self.lora_A.keys():
                orig_dtype = self.in_proj_weight.dtype
                if safe_merge:
                    orig_weight_in = self.in_proj_weight.data.detach().clone()
                    orig_weight_in += self.get_delta_weight(active_adapter).to(orig_dtype)
                    if not torch.isfinite(orig_weight_in).all():
                        raise ValueError(f"NaNs detected in the merged weights. The adapter {active_adapter} seems to be broken")
                    self._merged = orig_weight_in
                else:
                    delta_weight = self.get_delta_weight(active_adapter).to(orig_dtype)
                    self._merged = self.in_proj_weight.data.detach() + delta_weight
                self.merged_adapters.append(active_adapter)

    def unmerge(self):
        while len(self.merged_adapters) > 0:
            self.merged_adapters.pop()
        self._merged = None

    def forward(self, query):
        active_adapters = [a for a in self.active_adapters if a in self.lora_A]
        try:
            self.merge(adapter_names=active_adapters)
            result = F.linear(query, self._merged)
        finally:
            self.unmerge()
        return result


check(LoraMHA(), torch.randn(4, 8))
