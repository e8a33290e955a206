# j_05: sentence_transformers sentence_transformer/losses/adaptive_layer.py:254 and matryoshka.py:239 `random.sample(<list of ints>, n)` (CA115)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import random, warnings
import torch
from torch import nn

# Training setup as in sentence-transformers: the Trainer (torch_compile=True) or model.compile()
# compiles only the model; BaseTrainer.compute_loss calls `loss_fn(features, labels)` eagerly and the
# loss calls the (compiled) model inside its forward.
model = torch.compile(nn.Linear(8, 8), backend="eager")
traced = []  # torch.compiler.is_compiling() recorded at the flagged line


class MatryoshkaLoss(nn.Module):  # MatryoshkaLoss.forward / AdaptiveLayerLoss.forward
    def __init__(self, model, dims=(8, 4, 2), n_dims_per_step=2):
        super().__init__()
        self.model = model
        self.matryoshka_dims = list(dims)
        self.n_dims_per_step = n_dims_per_step

    def forward(self, features, labels):
        emb = self.model(features)
        dim_indices = range(len(self.matryoshka_dims))
        traced.append(torch.compiler.is_compiling())
        dim_indices = random.sample(dim_indices, self.n_dims_per_step)
        return sum(emb[:, : self.matryoshka_dims[i]].pow(2).mean() for i in dim_indices)


MatryoshkaLoss(model)(torch.randn(2, 8), None)
claim(any(traced), "MatryoshkaLoss/AdaptiveLayerLoss.forward is a loss wrapper run eagerly by compute_loss; it calls "
      f"the compiled model, but random.sample itself is never traced. is_compiling at the line: {traced}")
