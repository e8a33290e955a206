# transformers models/bart/modeling_bart.py:1041 (BartForSequenceClassification.forward) and
# models/t5/modeling_t5.py:1236 (T5ForSequenceClassification.forward) CA110
# `torch.unique_consecutive(eos_mask.sum(1)).numel() == 1,` as the condition of torch_compilable_check.
# The argument is evaluated in the compiled forward on every call: eos_mask is the bool (input_ids == eos) mask and
# torch.unique_consecutive of its row sums has a data-dependent size, so plain torch.compile breaks at the line
# before torch_compilable_check (copied from transformers 5.18 utils/import_utils.py) can turn it into torch._check.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn as nn
from torch.compiler import is_compiling


def torch_compilable_check(cond, msg, error_type=ValueError):
    if is_compiling():
        if isinstance(cond, torch.Tensor):
            torch._check_tensor_all(cond)
        else:
            torch._check(cond)
        return
    if isinstance(cond, torch.Tensor):
        torch._check_tensor_all_with(error_type, cond, lambda: msg)
    else:
        torch._check_with(error_type, cond, lambda: msg)


class SeqClsHead(nn.Module):
    eos_token_id = 2

    def __init__(self, d=8):
        super().__init__()
        self.classification_head = nn.Linear(d, 3)

    def forward(self, input_ids, hidden_states):
        eos_mask = input_ids.eq(self.eos_token_id).to(hidden_states.device)
        torch_compilable_check(
            torch.unique_consecutive(eos_mask.sum(1)).numel() == 1,
            "All examples must have the same number of <eos> tokens.",
        )
        return self.classification_head(hidden_states[:, -1, :])


ids = torch.tensor([[0, 5, 6, 2], [0, 7, 8, 2]])
check(SeqClsHead(), ids, torch.randn(2, 4, 8), mode="default")
