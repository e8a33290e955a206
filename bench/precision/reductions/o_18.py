# peft/tuners/tuners_utils.py CA113 nth 1 (line 2516, check_adapters_to_merge): "All adapters are already merged"
# needs a merge() of names that are all merged already. The steady-state compiled caller, lora.MultiheadAttention
# .forward, merges only when `not self.merged` and unmerges itself and out_proj after every forward; its out_proj
# merges each adapter once per forward. So with one or several active adapters, over repeated forwards, the branch
# never runs (other callers of merge() are eager merge/unload utilities). Replayed with warnings recorded:
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import warnings

import torch
from o_17 import LoraMHA

seen = []
for adapters in (["default"], ["a", "b"], ["a", "b", "c"]):
    mha = LoraMHA(8, adapters)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(3):
            mha(torch.randn(2, 8))
    seen += sorted({str(w.message) for w in caught})
print("warnings seen:", seen)
claim(any("All adapters are already merged" in s for s in seen),
      "the 'all adapters already merged' warning is never reached from a compiled forward")
