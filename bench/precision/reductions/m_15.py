# audiolm_pytorch/audiolm_pytorch.py CA110 nth 1 (line 163, batch_unique_consecutive): called from
# SemanticTransformerWrapper.forward (and generate) with unique_consecutive=True by default, on the int64
# semantic token ids; torch.unique_consecutive of each row has a data-dependent length -> plain
# torch.compile breaks (GB0036).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from torch.nn.utils.rnn import pad_sequence


def batch_unique_consecutive(t, pad_value = 0.):
    unique_arr = [torch.unique_consecutive(el) for el in t.unbind(dim = 0)]
    return pad_sequence(unique_arr, batch_first = True, padding_value = pad_value)


def wrapper_ids(semantic_token_ids, pad_id = -1):
    semantic_token_ids = batch_unique_consecutive(semantic_token_ids, pad_value = pad_id)
    return semantic_token_ids[:, :-1]


check(wrapper_ids, torch.randint(0, 4, (2, 16)), mode="default")
