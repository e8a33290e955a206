# x_transformers next_latent_wrapper.py:112 CA137 `out, _ = self.gru(next_embeds, first_hidden)`.
# NextLatentWrapper(dynamics_type='gru') builds RolloutGRU, whose forward runs in every training forward of the
# wrapper (the latent dynamics rollout); self.gru is an nn.GRU and Dynamo refuses to wrap RNN/GRU/LSTM modules
# ("Attempted to wrap RNN, GRU, or LSTM"): fullgraph fails at the line. pack_with_inverse (torch_einops_utils) is
# reproduced with reshapes.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from torch import nn


class RolloutGRU(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.gru = nn.GRU(input_size=dim, hidden_size=dim, batch_first=False)

    def forward(self, rollout_next_token_embeds, curr_latent):  # (r b n d), (b n d)
        r, b, n, d = rollout_next_token_embeds.shape
        next_embeds = rollout_next_token_embeds.reshape(r, b * n, d)
        first_hidden = curr_latent.reshape(b * n, d)
        first_hidden = first_hidden.unsqueeze(0)
        out, _ = self.gru(next_embeds, first_hidden)
        return out.reshape(r, b, n, d)


check(RolloutGRU(8), torch.randn(2, 2, 5, 8), torch.randn(2, 5, 8))
