"""NEGATIVE: .item(), print and tensor `if` in the training loop, outside the compiled model."""

import torch
from torch import nn


class Net(nn.Module):
    def __init__(self, dim: int = 8):
        super().__init__()
        self.fc = nn.Linear(dim, 1)

    def forward(self, x):
        return self.fc(x).squeeze(-1)


model = torch.compile(Net())


def train(batches, opt):
    for step, (x, y) in enumerate(batches):
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        if loss > 10:
            print("diverging at step", step, loss.item())
    return loss.tolist()


def case_neg_eval_loop():
    return model._orig_mod, (torch.randn(3, 8),)
