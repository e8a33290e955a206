# peft/tuners/lora/variants.py CA113 nth 1 (line 680, calculate_alora_offsets): the warn runs only for a row whose
# adapter name is not in peft_config. Without adapter_names every row uses model.active_adapter, which is always in
# peft_config; with adapter_names (mixed-batch inference) an unknown name makes the same forward raise right after,
# in LoraModel._enable_peft_forward_hooks ("Trying to infer with non-existing adapter(s)"), and adapter_names in
# training mode raise as well. So the warning is the prelude of an error, never part of a forward that completes.
# Replayed eagerly in peft's order (offsets first, then the hook check):
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import warnings

import torch
from o_13 import AloraConfig, calculate_alora_offsets


def peft_forward(peft_config, layer_adapters, active_adapter, input_ids, adapter_names, training=False):
    offsets = calculate_alora_offsets(peft_config, active_adapter, input_ids, adapter_names=adapter_names)
    # LoraModel._enable_peft_forward_hooks
    if adapter_names is not None:
        if training:
            raise ValueError("Cannot pass `adapter_names` when the model is in training mode.")
        unexpected = {n for n in adapter_names if n != "__base__"} - layer_adapters
        if unexpected:
            raise ValueError(f"Trying to infer with non-existing adapter(s): {', '.join(sorted(unexpected))}")
    return offsets


peft_config = {"default": AloraConfig([1, 2])}
input_ids = torch.tensor([[1, 2, 3], [3, 1, 2]])
completed_with_warning = False
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    try:
        peft_forward(peft_config, {"default"}, "default", input_ids, ["default", "typo"])
        completed_with_warning = any("not found in peft_config" in str(w.message) for w in caught)
    except ValueError as e:
        print("forward raised:", e)
    print("warned:", [str(w.message)[:60] for w in caught])
claim(completed_with_warning, "a forward that reaches the warn never completes: the unknown adapter name raises")
