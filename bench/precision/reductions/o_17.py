# peft/tuners/tuners_utils.py CA113 nth 1 (line 2511, check_adapters_to_merge): the steady-state compiled caller is
# lora.MultiheadAttention.forward, which (adapters enabled, not merged) calls self.merge(adapter_names=active) on
# every forward and self.unmerge() after it. MHA.merge loops over the active adapters and calls
# out_proj.merge(adapter_names=[adapter]) for each, so with two or more active adapters (set_adapter([...]), a
# supported LoRA setup) the second out_proj.merge finds out_proj.merged True with a not-yet-merged name and warns
# "Already following adapters were merged ..." on every forward. Dynamo cannot trace warnings.warn: fullgraph
# fails at the line. (Merge bookkeeping reproduced; the weight arithmetic is left out.)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import warnings
from typing import Optional

import torch
from torch import nn


def check_adapters_to_merge(module, adapter_names: Optional[list[str]] = None) -> list[str]:
    if adapter_names is None:
        adapter_names = module.active_adapters
    if isinstance(adapter_names, str):
        raise TypeError(f"adapter_names should be a list of strings, got {adapter_names!r}.")
    if module.merged:
        merged_adapters = set(module.merged_adapters)
        adapter_names = [name for name in adapter_names if name not in merged_adapters]
        if adapter_names:
            warnings.warn(
                f"Already following adapters were merged {','.join(module.merged_adapters)}. "
                f"You are now additionally merging {','.join(adapter_names)}."
            )
        else:
            warnings.warn("All adapters are already merged, nothing to do.")
    return adapter_names


class LoraLayerBits(nn.Module):
    def __init__(self, dim, adapters):
        super().__init__()
        self.lora_A = nn.ModuleDict({a: nn.Linear(dim, 2, bias=False) for a in adapters})
        self.lora_B = nn.ModuleDict({a: nn.Linear(2, dim, bias=False) for a in adapters})
        self.merged_adapters = []
        self.active_adapters = list(adapters)

    @property
    def merged(self) -> bool:
        return bool(self.merged_adapters)


class OutProj(LoraLayerBits):  # lora.Linear around the MHA's out_proj
    def merge(self, safe_merge: bool = False, adapter_names=None) -> None:
        adapter_names = check_adapters_to_merge(self, adapter_names)
        if not adapter_names:
            return
        for active_adapter in adapter_names:
            if active_adapter in self.lora_A.keys():
                self.merged_adapters.append(active_adapter)

    def unmerge(self) -> None:
        if not self.merged:
            return
        while len(self.merged_adapters) > 0:
            self.merged_adapters.pop()


class LoraMHA(LoraLayerBits):
    def __init__(self, dim, adapters):
        super().__init__(dim, adapters)
        self.out_proj = OutProj(dim, adapters)
        self.base = nn.Linear(dim, dim)

    def merge(self, safe_merge: bool = False, adapter_names=None) -> None:
        adapter_names = check_adapters_to_merge(self, adapter_names)
        if not adapter_names:
            return
        for active_adapter in adapter_names:
            if active_adapter in self.lora_A.keys():
                self.out_proj.merge(adapter_names=[active_adapter])
                self.merged_adapters.append(active_adapter)

    def unmerge(self) -> None:
        while len(self.merged_adapters) > 0:
            self.merged_adapters.pop()
        self.out_proj.unmerge()

    def forward(self, query):
        if self.merged:
            return self.base(query)
        active_adapters = [a for a in self.active_adapters if a in self.lora_A]
        try:
            self.merge(adapter_names=active_adapters)
            result = self.base(query)
            for a in self.merged_adapters:
                result = result + self.lora_B[a](self.lora_A[a](query))
        finally:
            self.unmerge()
        return result


if __name__ == "__main__":
    print("one active adapter:")
    check(LoraMHA(8, ["default"]), torch.randn(2, 8))
    print("two active adapters:")
    check(LoraMHA(8, ["a", "b"]), torch.randn(2, 8))
