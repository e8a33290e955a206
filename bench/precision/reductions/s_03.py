# CA145 in real code. transformers wav2vec2 feature encoder (modeling_wav2vec2.py:418:
# `if self._requires_grad and self.training: hidden_states.requires_grad = True`, _requires_grad True
# unless the encoder is frozen) and T5Attention (modeling_t5.py:346: `position_bias = torch.zeros(...)`,
# `if self.gradient_checkpointing and self.training: position_bias.requires_grad = True`, with gradient
# checkpointing enabled, a documented training option). Dynamo refuses the store (GB0206): fullgraph fails.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn as nn


class FeatureEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(1, 4, 3)
        self._requires_grad = True

    def forward(self, input_values):
        hidden_states = input_values[:, None]
        if self._requires_grad and self.training:
            hidden_states.requires_grad = True
        return self.conv(hidden_states)


class Bias(nn.Module):
    def __init__(self):
        super().__init__()
        self.gradient_checkpointing = True

    def forward(self, q):
        position_bias = torch.zeros((1, 2, q.shape[1], q.shape[1]), dtype=q.dtype)
        if self.gradient_checkpointing and self.training:
            position_bias.requires_grad = True
        return q.sum() + position_bias


check(FeatureEncoder().train(), torch.randn(2, 16))
check(Bias().train(), torch.randn(2, 5, 8))
