# CA112 `logger.warning_once(...)` under gradient checkpointing in training: transformers models/bloom/modeling_bloom.py:485
# and models/falcon/modeling_falcon.py:725 (`if self.gradient_checkpointing and self.training and use_cache:`), diffusers
# pipelines/kolors/text_encoder.py:576 (`if torch.is_grad_enabled() and self.gradient_checkpointing: if use_cache:`).
# Gradient checkpointing is a documented training option of these models (supports_gradient_checkpointing) and
# use_cache is on by default (config / parameter default True), so every training step traces the warning: a
# `logging.Logger` method (transformers' lru_cache-wrapped warning_once), refused by Dynamo (GB0291): fullgraph fails.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import functools
import logging

import torch


@functools.lru_cache(None)
def warning_once(self, *args):
    self.warning(*args)


logging.Logger.warning_once = warning_once
logger = logging.getLogger("s_18")


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = torch.nn.Linear(4, 4)
        self.gradient_checkpointing = True
        self.use_cache = True

    def forward(self, x, use_cache=None):
        use_cache = use_cache if use_cache is not None else self.use_cache
        if self.gradient_checkpointing and self.training and use_cache:
            logger.warning_once("`use_cache=True` is incompatible with gradient checkpointing. Setting `use_cache=False`...")
            use_cache = False
        return self.proj(x)


check(Model().train(), torch.randn(2, 4))
