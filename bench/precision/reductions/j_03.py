# j_03: sentence_transformers multi_vector_encoder/losses/cached_multiple_negatives_ranking.py:261 `loss_mb.backward()` and sentence_transformer/losses/cached_gist_embed.py:358 `loss_mbatch.backward()` (CA123)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import random, warnings
import torch
from torch import nn

# Training setup as in sentence-transformers: the Trainer (torch_compile=True) or model.compile()
# compiles only the model; BaseTrainer.compute_loss calls `loss_fn(features, labels)` eagerly and the
# loss calls the (compiled) model inside its forward.
model = torch.compile(nn.Linear(8, 8), backend="eager")
traced = []  # torch.compiler.is_compiling() recorded at the flagged line


class CachedLoss(nn.Module):  # GradCache: calculate_loss(with_backward=True) from calculate_loss_and_cache_gradients
    def __init__(self, model):
        super().__init__()
        self.model = model

    def calculate_loss(self, reps, with_backward=False):
        losses = []
        for rep in reps:
            loss_mb = (rep ** 2).sum()
            if with_backward:
                traced.append(torch.compiler.is_compiling())
                loss_mb.backward()
                loss_mb = loss_mb.detach()
            losses.append(loss_mb)
        return torch.stack(losses).sum()

    def forward(self, features, labels):
        with torch.no_grad():
            reps = [self.model(f) for f in features]
        reps = [r.detach().requires_grad_() for r in reps]
        loss = self.calculate_loss(reps, with_backward=True)
        return loss.detach().requires_grad_()


CachedLoss(model)([torch.randn(2, 8), torch.randn(2, 8)], None)
claim(any(traced), "the cached (GradCache) loss deliberately calls .backward() per mini-batch in its eager forward; "
      f"only the model is compiled, so the line is never traced. is_compiling at the line: {traced}")
