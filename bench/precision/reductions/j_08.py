# j_08: sentence_transformers contrastive.py:113-114, online_contrastive.py:92-93: `.any().item()` (CA102) and `warnings.warn(` (CA113), one-time label check
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import random, warnings
import torch
from torch import nn

# Training setup as in sentence-transformers: the Trainer (torch_compile=True) or model.compile()
# compiles only the model; BaseTrainer.compute_loss calls `loss_fn(features, labels)` eagerly and the
# loss calls the (compiled) model inside its forward.
model = torch.compile(nn.Linear(8, 8), backend="eager")
traced = []  # torch.compiler.is_compiling() recorded at the flagged line


class ContrastiveLoss(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model
        self._checked_labels = False

    def compute_loss_from_embeddings(self, embeddings, labels):
        labels = labels.view(-1)
        if not self._checked_labels:  # runs once, on the first batch only
            self._checked_labels = True
            traced.append(torch.compiler.is_compiling())
            if labels.ne(0).logical_and(labels.ne(1)).any().item():
                warnings.warn("ContrastiveLoss expects binary labels (0 or 1).", UserWarning)
        d = torch.pairwise_distance(embeddings[0], embeddings[1])
        return (labels * d.pow(2) + (1 - labels) * torch.relu(0.5 - d).pow(2)).mean()

    def forward(self, sentence_features, labels):
        embeddings = [self.model(f) for f in sentence_features]
        return self.compute_loss_from_embeddings(embeddings, labels)


loss_fn = ContrastiveLoss(model)
for _ in range(2):
    loss_fn([torch.randn(2, 8), torch.randn(2, 8)], torch.tensor([0.0, 1.0]))
claim(any(traced), "the label check is in the eager loss (compute_loss -> loss_fn -> compute_loss_from_embeddings, also "
      f"via SpladeLoss/CSRLoss) and runs only on the first batch; is_compiling at the line: {traced}")
