# Reduces: torchtune torchtune/modules/model_fusion/_early_fusion.py:198 CA110 (torch.masked_select(tokens, is_text)),
#          torchtune/modules/model_fusion/_fusion_layers.py:269 and :271 CA110 (torch.masked_select(input, mask / ~mask))
# tokens / input are int64 token ids, the mask a bool Tensor; masked_select has a data-dependent output size.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch

vocab_size = 100
embedding = torch.nn.Embedding(vocab_size, 8)
fusion_embedding = torch.nn.Embedding(20, 8)

def fused_embed(input):
    mask = input < vocab_size
    tokens = torch.masked_select(input, mask)
    fusion_tokens = torch.masked_select(input, ~mask) - vocab_size
    return embedding(tokens), fusion_embedding(fusion_tokens)

check(fused_embed, torch.randint(0, 120, (2, 16), dtype=torch.int64), mode="default")
