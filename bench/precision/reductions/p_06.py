# Reduces: diffusers diffusers/models/transformers/transformer_hunyuan_video_framepack.py:332 CA143
# (encoder_hidden_states[:, : effective_condition_sequence_length[0]])
# HunyuanVideoFramepackTransformer3DModel.forward with batch size 1 (one prompt, one video: the pipeline's default):
# effective_condition_sequence_length = mask.sum(dim=1, dtype=torch.int) is an int32 Tensor, and using its element as a
# slice bound needs an .item(): plain torch.compile breaks there.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def trim(hidden_states, encoder_hidden_states, encoder_attention_mask):
    batch_size = hidden_states.shape[0]
    attention_mask_image = encoder_attention_mask.new_ones((batch_size, 4))
    encoder_attention_mask = torch.cat([attention_mask_image, encoder_attention_mask], dim=1)
    latent_sequence_length = hidden_states.shape[1]
    condition_sequence_length = encoder_hidden_states.shape[1]
    sequence_length = latent_sequence_length + condition_sequence_length
    attention_mask = torch.zeros(batch_size, sequence_length, dtype=torch.bool)
    effective_condition_sequence_length = encoder_attention_mask.sum(dim=1, dtype=torch.int)
    effective_sequence_length = latent_sequence_length + effective_condition_sequence_length
    if batch_size == 1:
        encoder_hidden_states = encoder_hidden_states[:, : effective_condition_sequence_length[0]]
        attention_mask = None
    else:
        for i in range(batch_size):
            attention_mask[i, : effective_sequence_length[i]] = True
        attention_mask = attention_mask.unsqueeze(1).unsqueeze(1)
    return encoder_hidden_states * 2, attention_mask


mask = torch.ones(1, 20, dtype=torch.int64); mask[:, 13:] = 0
check(trim, torch.randn(1, 30, 8), torch.randn(1, 24, 8), mask, mode="default")
