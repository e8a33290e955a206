# diffusers/models/transformers/transformer_omnigen.py CA104 nth 1 (line 155,
# OmniGenSuScaledRotaryEmbedding.forward): seq_len = torch.max(position_ids) + 1 is a 0-d Tensor
# (position_ids is the LongTensor passed to OmniGenTransformer2DModel.forward), so
# `if seq_len > self.original_max_position_embeddings:` branches on tensor data.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from torch import nn


class Rope(nn.Module):
    def __init__(self, dim=8, original_max_position_embeddings=4096):
        super().__init__()
        self.dim, self.base = dim, 10000
        self.short_factor = [1.0] * (dim // 2)
        self.long_factor = [2.0] * (dim // 2)
        self.original_max_position_embeddings = original_max_position_embeddings

    def forward(self, hidden_states, position_ids):
        seq_len = torch.max(position_ids) + 1
        if seq_len > self.original_max_position_embeddings:
            ext_factors = torch.tensor(self.long_factor, dtype=torch.float32, device=hidden_states.device)
        else:
            ext_factors = torch.tensor(self.short_factor, dtype=torch.float32, device=hidden_states.device)
        inv_freq_shape = torch.arange(0, self.dim, 2, dtype=torch.int64).float() / self.dim
        return 1.0 / (ext_factors * self.base**inv_freq_shape)


position_ids = torch.arange(12).view(-1, 12).long()
check(Rope(), torch.randn(1, 12, 8), position_ids)
