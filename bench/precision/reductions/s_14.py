# peft tuners/lora/monteclora.py:82 `self.index += 1` (CA301): MonteCLoRA's sampler hands out one pre-drawn sample per
# forward call and counts with a Python int attribute. Dynamo specialises on the int it reads (self.buffer[self.index])
# and guards on it, so every call sees a new value and recompiles.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


class Sampler(torch.nn.Module):
    def __init__(self, buffer_size=4):
        super().__init__()
        self.buffer_size = buffer_size
        self.buffer = torch.randn(buffer_size, 3)
        self.index = 0

    def forward(self, x):
        if self.index >= self.buffer_size:
            self.index = 0
        sample = self.buffer[self.index]
        self.index += 1
        return x + sample


sampler = Sampler()
recompiles(sampler, [(torch.ones(3),)] * 3)
