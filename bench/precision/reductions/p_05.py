# Reduces: diffusers diffusers/models/transformers/transformer_hunyuanimage.py:825-840 CA111 (text_2[text_mask_2],
# text[text_mask], their ~mask reads, and mask[mask] for the attention masks)
# HunyuanImageTransformer2DModel.forward: HunyuanImagePipeline always passes the ByT5 glyph embeddings and mask
# (context_embedder_2 exists for text_embed_2_dim=1472), so each step reorders tokens per sample with bool masks;
# each x[mask] read has a data-dependent size, and plain torch.compile breaks.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def reorder(encoder_hidden_states, encoder_attention_mask, encoder_hidden_states_2, encoder_attention_mask_2):
    encoder_attention_mask = encoder_attention_mask.bool()
    encoder_attention_mask_2 = encoder_attention_mask_2.bool()
    new_encoder_hidden_states = []
    new_encoder_attention_mask = []
    for text, text_mask, text_2, text_mask_2 in zip(
        encoder_hidden_states, encoder_attention_mask, encoder_hidden_states_2, encoder_attention_mask_2
    ):
        new_encoder_hidden_states.append(
            torch.cat([text_2[text_mask_2], text[text_mask], text_2[~text_mask_2], text[~text_mask]], dim=0)
        )
        new_encoder_attention_mask.append(
            torch.cat(
                [text_mask_2[text_mask_2], text_mask[text_mask], text_mask_2[~text_mask_2], text_mask[~text_mask]],
                dim=0,
            )
        )
    return torch.stack(new_encoder_hidden_states), torch.stack(new_encoder_attention_mask)


mask = torch.ones(1, 20, dtype=torch.int64); mask[:, 13:] = 0
mask_2 = torch.ones(1, 16, dtype=torch.int64); mask_2[:, 3:] = 0
check(reorder, torch.randn(1, 20, 8), mask, torch.randn(1, 16, 8), mask_2, mode="default")
