# g_14: vector_quantize_pytorch vector_quantize_pytorch.py:1377 CA110 `unique_code_ids = torch.unique(embed_ind)`
# VectorQuantize.forward in training with orthogonal_reg_weight > 0 and orthogonal_reg_active_codes_only=True;
# embed_ind is the int64 code-index tensor from the codebook.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F


def orthogonal_loss_fn(t):
    h, n = t.shape[:2]
    normed = F.normalize(t, dim=-1)
    cosine_sim = torch.einsum('h i d, h j d -> h i j', normed, normed)
    return (cosine_sim ** 2).sum() / (h * n ** 2) - (1 / n)


def orth_reg(codebook, embed_ind):
    unique_code_ids = torch.unique(embed_ind)
    codebook = codebook[:, unique_code_ids]
    return orthogonal_loss_fn(codebook)


check(orth_reg, torch.randn(1, 16, 4), torch.randint(0, 16, (2, 10)), mode="default")
