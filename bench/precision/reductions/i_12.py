# vit_pytorch/na_vit_nested_tensor.py CA103 nth 1 (line 274) and na_vit_nested_tensor_3d.py CA103 nth 1
# (line 290): seq_lens is an integer Tensor (torch.tensor of per-image token counts, or the .int() kept
# counts under token dropout); tokens.split(seq_lens.tolist()) reads it into Python -> plain torch.compile
# graph-breaks (integer-tensor .tolist(), judged in default mode).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def f(tokens_list):
    device = tokens_list[0].device
    seq_lens = torch.tensor([i.shape[0] for i in tokens_list], device = device)
    tokens = torch.cat(tokens_list)
    tokens = tokens.split(seq_lens.tolist())
    return [t * 2 for t in tokens]


check(f, [torch.randn(4, 8), torch.randn(6, 8)], mode="default")
