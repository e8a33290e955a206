"""nn.LSTM and nn.GRU on CPU inside compiled models (sequence taggers, speech encoders)."""

import torch
from torch import nn


class Tagger(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.lstm = nn.LSTM(dim, dim, batch_first=True)
        self.out = nn.Linear(dim, 3)

    def forward(self, x):
        h, _ = self.lstm(x)
        return self.out(h)


class Encoder(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.proj = nn.Linear(dim, dim)
        self.gru = nn.GRU(dim, dim, batch_first=True)

    def forward(self, x):
        out, last = self.gru(self.proj(x))
        return last.squeeze(0)


tagger = torch.compile(Tagger())
encoder = torch.compile(Encoder())


def case_lstm():
    return tagger._orig_mod, (torch.randn(2, 5, 8),)


def case_gru():
    return encoder._orig_mod, (torch.randn(2, 5, 8),)
