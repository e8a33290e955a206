# peft/tuners/lora/variants.py CA110 nth 1 (line 707, calculate_alora_offsets): with an Activated-LoRA adapter
# (LoraConfig(alora_invocation_tokens=[...]), a documented LoRA variant), PeftModelForCausalLM.forward calls
# get_alora_offsets_for_forward -> calculate_alora_offsets on every forward given input_ids. sequence = input_ids[i]
# is an int64 Tensor; `(sequence == tok).nonzero(as_tuple=True)[0]` has a data-dependent size: plain torch.compile
# breaks (GB0036; inside the per-row loop Dynamo even gives up on the frame).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import collections
import warnings

import torch


class AloraConfig:
    def __init__(self, tokens):
        self.alora_invocation_tokens = tokens


def calculate_alora_offsets(peft_config, active_adapter, input_ids, adapter_names=None):
    if input_ids is None:
        return []
    batch_size = input_ids.shape[0]
    alora_offsets = [None] * batch_size
    cached_invocation_tensors = {}
    adapters_to_process_indices = collections.defaultdict(list)
    for i in range(batch_size):
        current_adapter_name = adapter_names[i] if adapter_names and i < len(adapter_names) else active_adapter
        if current_adapter_name == "__base__":
            alora_offsets[i] = None
            continue
        if current_adapter_name not in peft_config:
            warnings.warn(f"Adapter '{current_adapter_name}' not found in peft_config. Using base model for row {i}.")
            alora_offsets[i] = None
            continue
        current_peft_config = peft_config[current_adapter_name]
        invocation_tokens = getattr(current_peft_config, "alora_invocation_tokens", None)
        if invocation_tokens is None:
            alora_offsets[i] = None
            continue
        if current_adapter_name not in cached_invocation_tensors:
            cached_invocation_tensors[current_adapter_name] = torch.tensor(
                invocation_tokens, dtype=torch.long, device=input_ids.device
            )
        adapters_to_process_indices[current_adapter_name].append(i)
    for adapter_name_to_process, indices in adapters_to_process_indices.items():
        current_invocation_ids_tensor = cached_invocation_tensors[adapter_name_to_process]
        invocation_len = len(current_invocation_ids_tensor)
        for i in indices:
            sequence = input_ids[i]
            seq_len = len(sequence)
            best_match_start_idx = -1
            possible_starts = (sequence == current_invocation_ids_tensor[0]).nonzero(as_tuple=True)[0]
            for start_idx_tensor in possible_starts:
                idx = start_idx_tensor.item()
                if idx + invocation_len <= seq_len:
                    if torch.equal(sequence[idx : idx + invocation_len], current_invocation_ids_tensor):
                        best_match_start_idx = max(best_match_start_idx, idx)
            if best_match_start_idx != -1:
                offset_val = seq_len - best_match_start_idx
                alora_offsets[i] = offset_val if offset_val > 0 else None
            else:
                alora_offsets[i] = None
    return alora_offsets


def nonzero_step(sequence, current_invocation_ids_tensor):
    possible_starts = (sequence == current_invocation_ids_tensor[0]).nonzero(as_tuple=True)[0]
    return possible_starts


if __name__ == "__main__":
    input_ids = torch.tensor([[5, 6, 7, 1, 2, 3, 9], [1, 2, 3, 4, 1, 2, 3]])
    peft_config = {"default": AloraConfig([1, 2, 3])}
    print("eager offsets:", calculate_alora_offsets(peft_config, "default", input_ids))
    print("the flagged line alone:")
    check(nonzero_step, input_ids[0], torch.tensor([1, 2, 3]), mode="default")
    print("the whole helper, as PeftModelForCausalLM.forward calls it:")
    check(calculate_alora_offsets, peft_config, "default", input_ids, mode="default")
