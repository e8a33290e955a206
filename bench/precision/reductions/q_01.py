# diffusers/models/transformers/transformer_hunyuanimage.py CA111 nth 1 (line 841,
# HunyuanImageTransformer2DModel.forward): with the ByT5 glyph encoder (context_embedder_2, which the HunyuanImage 2.1
# pipeline always feeds encoder_hidden_states_2), forward reorders each sample's text tokens with boolean masks;
# text_mask is a row of the bool encoder_attention_mask, so text_mask[~text_mask] has a data-dependent length:
# plain torch.compile breaks (GB0036).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def reorder(encoder_hidden_states, encoder_attention_mask, encoder_hidden_states_2, encoder_attention_mask_2):
    encoder_attention_mask = encoder_attention_mask.bool()
    encoder_attention_mask_2 = encoder_attention_mask_2.bool()
    new_encoder_attention_mask = []
    for text, text_mask, text_2, text_mask_2 in zip(
        encoder_hidden_states, encoder_attention_mask, encoder_hidden_states_2, encoder_attention_mask_2
    ):
        new_encoder_attention_mask.append(torch.cat([text_mask[~text_mask]], dim=0))
    return new_encoder_attention_mask


mask = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 0, 0, 0]])
check(reorder, torch.randn(2, 5, 8), mask, torch.randn(2, 3, 8), torch.tensor([[1, 0, 0], [1, 1, 0]]), mode="default")
