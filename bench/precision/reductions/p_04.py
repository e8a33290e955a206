# Reduces: diffusers diffusers/models/transformers/transformer_hunyuan_video15.py:743-763 CA111 (the token
# reordering: image[image_mask], text_2[text_mask_2], text[text_mask], their ~mask reads, zeros_like(x[~mask]) and
# mask[mask] for the attention masks)
# HunyuanVideo15Transformer3DModel.forward: every step it reorders the text tokens per sample with the bool
# tokenizer masks (and the zeros/ones image mask, also a bool Tensor); each x[mask] read has a data-dependent size
# (nonzero), so plain torch.compile breaks (here inside the per-sample loop).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def reorder(encoder_hidden_states, encoder_attention_mask, encoder_hidden_states_2, encoder_attention_mask_2,
            encoder_hidden_states_3, encoder_attention_mask_3):
    encoder_attention_mask = encoder_attention_mask.bool()
    encoder_attention_mask_2 = encoder_attention_mask_2.bool()
    encoder_attention_mask_3 = encoder_attention_mask_3.bool()
    new_encoder_hidden_states = []
    new_encoder_attention_mask = []
    for text, text_mask, text_2, text_mask_2, image, image_mask in zip(
        encoder_hidden_states, encoder_attention_mask, encoder_hidden_states_2, encoder_attention_mask_2,
        encoder_hidden_states_3, encoder_attention_mask_3,
    ):
        new_encoder_hidden_states.append(
            torch.cat(
                [
                    image[image_mask],
                    text_2[text_mask_2],
                    text[text_mask],
                    image[~image_mask],
                    torch.zeros_like(text_2[~text_mask_2]),
                    torch.zeros_like(text[~text_mask]),
                ],
                dim=0,
            )
        )
        new_encoder_attention_mask.append(
            torch.cat(
                [
                    image_mask[image_mask],
                    text_mask_2[text_mask_2],
                    text_mask[text_mask],
                    image_mask[~image_mask],
                    text_mask_2[~text_mask_2],
                    text_mask[~text_mask],
                ],
                dim=0,
            )
        )
    return torch.stack(new_encoder_hidden_states), torch.stack(new_encoder_attention_mask)


mask = torch.ones(1, 20, dtype=torch.int64); mask[:, 13:] = 0      # Qwen tokenizer mask
mask_2 = torch.ones(1, 16, dtype=torch.int64); mask_2[:, 3:] = 0   # ByT5 glyph mask (padding="max_length")
mask_3 = torch.zeros(1, 10, dtype=torch.int64)                     # text-to-video image mask
check(reorder, torch.randn(1, 20, 8), mask, torch.randn(1, 16, 8), mask_2, torch.randn(1, 10, 8), mask_3,
      mode="default")
