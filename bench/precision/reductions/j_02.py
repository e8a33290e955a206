# j_02: sentence_transformers cross_encoder/losses/plist_mle.py:242 `if not torch.any(mask):` and :272 `if not torch.any(per_query_losses):` (CA104)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import random, warnings
import torch
from torch import nn

# Training setup as in sentence-transformers: the Trainer (torch_compile=True) or model.compile()
# compiles only the model; BaseTrainer.compute_loss calls `loss_fn(features, labels)` eagerly and the
# loss calls the (compiled) model inside its forward.
model = torch.compile(nn.Linear(8, 8), backend="eager")
traced = []  # torch.compiler.is_compiling() recorded at the flagged line


class PListMLELoss(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, inputs, labels):
        logits_matrix = self.model(torch.randn(2, 8))[:, :3]
        mask = torch.ones_like(logits_matrix, dtype=torch.bool)
        traced.append(torch.compiler.is_compiling())
        if not torch.any(mask):  # 0-d bool Tensor, but evaluated eagerly
            return torch.tensor(0.0, requires_grad=True)
        per_query_losses = -torch.sum(torch.log_softmax(logits_matrix, dim=1), dim=1)
        traced.append(torch.compiler.is_compiling())
        if not torch.any(per_query_losses):
            return torch.tensor(0.0, requires_grad=True)
        return per_query_losses.mean()


PListMLELoss(model)((["q"], [["d"]]), None)
claim(any(traced), "PListMLELoss.forward tokenizes text pairs and calls the compiled model; the loss itself runs eagerly "
      f"from compute_loss, so `if not torch.any(...)` is never traced. is_compiling at the lines: {traced}")
