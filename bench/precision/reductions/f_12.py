# f_12: peft peft/tuners/glora/layer.py:225 and :229 (CA104 `if not torch.isfinite(new_weight).all()` /
# `... torch.isfinite(new_bias).all()` in GloraLayer.merge, under `if safe_merge:`).
# merge(safe_merge=True) is only called by the user-facing eager utilities merge_adapter / merge_and_unload;
# GLoRA's forward never calls merge (only `if self.merged: self.unmerge()` on the disabled path, and GLoRA's
# unmerge re-merges the remaining adapters with the default safe_merge=False). The data-dependent `if` would
# break if compiled (printed), but it is never traced when the model is compiled.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def safe_merge_check(new_weight, new_bias, safe_merge=True):
    if safe_merge:
        if not torch.isfinite(new_weight).all():
            raise ValueError("NaNs detected in the merged weights.")
        if new_bias is not None and not torch.isfinite(new_bias).all():
            raise ValueError("NaNs detected in the merged weights.")
    return new_weight


try:
    torch.compile(safe_merge_check, fullgraph=True, backend="eager")(torch.randn(4, 4), torch.randn(4))
    print("pattern alone: compiles")
except Exception as e:
    print("pattern alone, if it were compiled:", type(e).__name__, str(e).strip().splitlines()[0])

claim(False, "scope: safe_merge NaN check inside GloraLayer.merge, an eager merge utility never reached from forward")
