# peft/tuners/lora/variants.py CA102 nth 1 (line 710, calculate_alora_offsets): with an Activated-LoRA adapter the
# helper runs on every PeftModelForCausalLM.forward given input_ids; possible_starts is the int64 index Tensor of the
# nonzero before it, and `start_idx_tensor.item()` of each element turns it into a Python int: plain torch.compile
# breaks at the line (GB0124 data-dependent operator). Reproduced from the point where Dynamo resumes after the
# nonzero break (possible_starts a graph input).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def match_step(sequence, possible_starts, current_invocation_ids_tensor):
    invocation_len = len(current_invocation_ids_tensor)
    seq_len = len(sequence)
    best_match_start_idx = -1
    for start_idx_tensor in possible_starts:
        idx = start_idx_tensor.item()
        if idx + invocation_len <= seq_len:
            best_match_start_idx = max(best_match_start_idx, idx)
    return best_match_start_idx


seq = torch.tensor([1, 2, 3, 4, 1, 2, 3])
check(match_step, seq, (seq == 1).nonzero(as_tuple=True)[0], torch.tensor([1, 2, 3]), mode="default")
