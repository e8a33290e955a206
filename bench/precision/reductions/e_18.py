# e_18: torchtune torchtune/models/gemma2/_attention.py:220 (CA101 isinstance(mask, torch.Tensor))
# mask is the forward argument, typed _MaskType = Union[Tensor, BlockMask]; with packed datasets
# torchtune builds it with packed_block_causal_mask -> create_block_mask -> BlockMask, which this check
# rejects. (The torch.tril named by the linter is not the tested value.)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from torch.nn.attention.flex_attention import create_block_mask

document_ids = torch.tensor([[0] * 40 + [1] * 40 + [2] * 48])


def mask_mod(b, h, q_idx, kv_idx):
    causal_mask = q_idx >= kv_idx
    document_mask = document_ids[b, q_idx] == document_ids[b, kv_idx]
    return causal_mask & document_mask


mask = create_block_mask(mask_mod, 1, None, 128, 128, device="cpu")  # packed_block_causal_mask
print("mask type for packed batches:", type(mask).__name__)
claim(isinstance(mask, torch.Tensor), "mask may be a BlockMask (packed=True), so the check is live")
