# f_05: peft peft/tuners/lora/layer.py:2097 (CA113 "Already unmerged" in lora.MultiheadAttention.unmerge).
# MultiheadAttention.forward (adapters on, not merged) calls self.merge(adapter_names=active_adapters), which
# appends the adapter to the Python list merged_adapters, then calls self.unmerge() in `finally`; at that
# point `self.merged` is True (constant for Dynamo), so the warn branch is not traced. The disabled path
# guards with `if self.merged:` as in every other layer.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import warnings
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
        self._disable_adapters = False
        self._merged_weight = None

    @property
    def merged(self):
        return bool(self.merged_adapters)

    @property
    def disable_adapters(self):
        return self._disable_adapters

    def get_delta_weight(self, a):
        return self.lora_B[a].weight @ self.lora_A[a].weight

    def merge(self, safe_merge=False, adapter_names=None):
        adapter_names = [a for a in adapter_names if a not in self.merged_adapters]
        if not adapter_names:
            return
        for active_adapter in adapter_names:
            if active_adapter in self.lora_A.keys():
                # (peft deletes and re-registers the parameter; keep the merged weight functional here)
                self._merged_weight = self.in_proj_weight + self.get_delta_weight(active_adapter)
                self.merged_adapters.append(active_adapter)

    def unmerge(self):
        if not self.merged:
            warnings.warn("Already unmerged. Nothing to do.")
            return
        while len(self.merged_adapters) > 0:
            active_adapter = self.merged_adapters.pop()
            if active_adapter in self.lora_A.keys():
                self._merged_weight = None

    def forward(self, query):
        if self.disable_adapters:
            if self.merged:
                self.unmerge()
            result = F.linear(query, self.in_proj_weight)
        elif self.merged:
            result = F.linear(query, self._merged_weight)
        else:
            active_adapters = [a for a in self.active_adapters if a in self.lora_A]
            try:
                self.merge(adapter_names=active_adapters)
                result = F.linear(query, self._merged_weight)
            finally:
                self.unmerge()
        return result


check(LoraMHA(), torch.randn(4, 8))
