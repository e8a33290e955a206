# Reduces: diffusers diffusers/models/transformers/transformer_hunyuan_video15.py:702 CA104 (if is_t2v:)
# HunyuanVideo15Transformer3DModel.forward: both pipelines pass image_embeds (zeros for text-to-video), and
# is_t2v = torch.all(image_embeds == 0) is a 0-d bool Tensor, so `if is_t2v:` is data-dependent branching
# and fullgraph=True fails at the line.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from torch import nn


class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.image_embedder = nn.Linear(16, 32)

    def forward(self, image_embeds, encoder_attention_mask):
        batch_size = image_embeds.shape[0]
        encoder_hidden_states_3 = self.image_embedder(image_embeds)
        is_t2v = torch.all(image_embeds == 0)
        if is_t2v:
            encoder_hidden_states_3 = encoder_hidden_states_3 * 0.0
            encoder_attention_mask_3 = torch.zeros(
                (batch_size, encoder_hidden_states_3.shape[1]), dtype=encoder_attention_mask.dtype
            )
        else:
            encoder_attention_mask_3 = torch.ones(
                (batch_size, encoder_hidden_states_3.shape[1]), dtype=encoder_attention_mask.dtype
            )
        return encoder_hidden_states_3, encoder_attention_mask_3


# text-to-video: the pipeline passes torch.zeros image_embeds
check(M(), torch.zeros(1, 10, 16), torch.ones(1, 12, dtype=torch.int64))
