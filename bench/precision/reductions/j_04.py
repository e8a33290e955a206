# j_04: sentence_transformers cached_multiple_negatives_ranking.py (multi_vector) :273 `loss = loss.detach().requires_grad_()`, :322 `reps_mbs.append(reps_mb.detach().requires_grad_())`; cached_gist_embed.py :248, :392 (CA128)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import random, warnings
import torch
from torch import nn

# Training setup as in sentence-transformers: the Trainer (torch_compile=True) or model.compile()
# compiles only the model; BaseTrainer.compute_loss calls `loss_fn(features, labels)` eagerly and the
# loss calls the (compiled) model inside its forward.
model = torch.compile(nn.Linear(8, 8), backend="eager")
traced = []  # torch.compiler.is_compiling() recorded at the flagged line


class CachedLoss(nn.Module):  # forward / calculate_loss_and_cache_gradients of the cached losses
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, features, labels):
        reps_mbs = []
        for f in features:
            with torch.no_grad():
                reps_mb = self.model(f)  # output of the compiled model
            traced.append(torch.compiler.is_compiling())
            reps_mbs.append(reps_mb.detach().requires_grad_())
        loss = sum((r ** 2).sum() for r in reps_mbs)
        loss.backward()
        traced.append(torch.compiler.is_compiling())
        loss = loss.detach().requires_grad_()
        return loss


CachedLoss(model)([torch.randn(2, 8), torch.randn(2, 8)], None)
claim(any(traced), "the cached losses' forward / calculate_loss_and_cache_gradients run eagerly (they call .backward() "
      f"and register hooks); only the model is compiled. is_compiling at the lines: {traced}")
