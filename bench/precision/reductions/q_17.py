# peft/tuners/lora/variants.py CA140 nth 1 (line 712, calculate_alora_offsets): with an Activated-LoRA adapter,
# PeftModelForCausalLM.forward calls calculate_alora_offsets on every forward given input_ids; for each candidate start
# torch.equal(sequence[idx:idx+len], invocation_ids) compares int64 Tensors and returns a data-dependent Python bool:
# fullgraph=True fails at the call (GB0033). Shown from the point Dynamo resumes, idx a Python int.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def match(sequence, current_invocation_ids_tensor, idx):
    invocation_len = len(current_invocation_ids_tensor)
    best_match_start_idx = -1
    if idx + invocation_len <= len(sequence):
        if torch.equal(sequence[idx : idx + invocation_len], current_invocation_ids_tensor):
            best_match_start_idx = max(best_match_start_idx, idx)
    return best_match_start_idx


check(match, torch.tensor([5, 6, 1, 2, 3, 9]), torch.tensor([1, 2, 3]), 2)
