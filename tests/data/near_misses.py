"""Code that only looks suspicious: every rule must stay quiet on this file."""

import logging

import torch
import torch.nn.functional as F
from torch import nn

logger = logging.getLogger(__name__)


class Config:
    hidden: int = 8
    act = "gelu"


class ScaleGrad(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, scale):
        ctx.scale = scale  # Dynamo traces forward (reached through .apply): keep it traceable
        return x * scale

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.scale, None


class Block(nn.Module):
    def __init__(self, config: Config) -> None:
        super().__init__()
        self.config = config
        self.proj = nn.Linear(config.hidden, config.hidden)
        self.norm = nn.LayerNorm(config.hidden)
        self.steps = 0
        logger.info("built Block with %d", config.hidden)

    def forward(self, x, mask=None, use_cache: bool = False, seq_len=None):
        if x.dim() == 2:
            x = x.unsqueeze(0)
        if x.shape[-1] != self.config.hidden or x.size(0) == 0:
            raise ValueError(f"bad input {x.shape}")
        if x.dtype == torch.float16 and x.is_cuda:
            x = x.float()
        if x.device.type == "cpu" and self.training:
            x = F.dropout(x, 0.1)
        if isinstance(self.config.act, str) and self.config.act == "gelu":
            x = F.gelu(x)
        if mask is not None:
            x = x.masked_fill(mask, 0.0)
        if use_cache and seq_len is not None and seq_len > 4:
            x = x[:, :seq_len]
        with torch.no_grad():
            stats = x.mean()
        x = ScaleGrad.apply(x, 2.0)
        if torch.compiler.is_compiling():
            y = self.proj(x)
        else:
            print("eager", x.sum().item())
            y = self.proj(x)
        assert y.shape == x.shape, "shape changed"
        n = len(y)
        for i in range(n):
            y = y + i
        return self.norm(y + stats)


def train(model, batches, opt):
    for step, (x, target) in enumerate(batches):
        loss = F.mse_loss(model(x), target)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if loss.item() > 10 or torch.isnan(loss):
            print(f"step {step}: {loss}")
            logger.warning("diverging")


def evaluate(model, x):
    out = model(x)
    if isinstance(out, tuple):
        out = out[0]
    return out.argmax(-1).tolist()
