"""A method compiled from __init__ (`self._step = torch.compile(self._step_impl)`), accelerate/lightning style."""

import torch
from torch import nn


class Sampler(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self._compiled_step = torch.compile(self._step_impl)

    def _step_impl(self, logits, temperature):
        probs = torch.softmax(logits / temperature, dim=-1)
        top = probs.max(dim=-1).values
        if (top > 0.99).all():
            return probs.argmax(dim=-1)
        return torch.multinomial(probs, 1).squeeze(-1)

    def forward(self, x, temperature):
        return self._compiled_step(self.fc(x), temperature)


sampler = Sampler()


def case_compile_method():
    return sampler._step_impl, (torch.randn(2, 8), torch.tensor(0.7))
