# j_06: sentence_transformers sentence_transformer/losses/batch_all_triplet.py:121 `.nonzero(as_tuple=True)` (CA110) and :135 `triplet_loss[triplet_loss > 1e-16]` (CA111)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import random, warnings
import torch
from torch import nn

# Training setup as in sentence-transformers: the Trainer (torch_compile=True) or model.compile()
# compiles only the model; BaseTrainer.compute_loss calls `loss_fn(features, labels)` eagerly and the
# loss calls the (compiled) model inside its forward.
model = torch.compile(nn.Linear(8, 8), backend="eager")
traced = []  # torch.compiler.is_compiling() recorded at the flagged line


class BatchAllTripletLoss(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, features, labels):
        emb = self.model(features)
        d = torch.cdist(emb, emb)
        mask = labels.unsqueeze(0) == labels.unsqueeze(1)
        mask.fill_diagonal_(False)
        traced.append(torch.compiler.is_compiling())
        anchor_indices, positive_indices = mask.nonzero(as_tuple=True)
        triplet_loss = torch.relu(d[anchor_indices, positive_indices].unsqueeze(1) - d[anchor_indices] + 5)
        traced.append(torch.compiler.is_compiling())
        valid_triplets = triplet_loss[triplet_loss > 1e-16]
        return valid_triplets.mean()


BatchAllTripletLoss(model)(torch.randn(4, 8), torch.tensor([0, 0, 1, 1]))
claim(any(traced), "batch_all_triplet_loss runs inside the eager loss forward (compute_loss -> loss_fn); only the "
      f"embedding model is compiled. is_compiling at the lines: {traced}")
