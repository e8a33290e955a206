# j_01: sentence_transformers cross_encoder/losses adr_mse.py:189, lambda_loss.py:281, list_net.py:164, plist_mle.py:231 (CA110 torch.repeat_interleave(torch.arange(batch_size), torch.tensor(docs_per_query)))
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import random, warnings
import torch
from torch import nn

# Training setup as in sentence-transformers: the Trainer (torch_compile=True) or model.compile()
# compiles only the model; BaseTrainer.compute_loss calls `loss_fn(features, labels)` eagerly and the
# loss calls the (compiled) model inside its forward.
model = torch.compile(nn.Linear(8, 8), backend="eager")
traced = []  # torch.compiler.is_compiling() recorded at the flagged line


class ListwiseLoss(nn.Module):  # ADRMSELoss / LambdaLoss / ListNetLoss / PListMLELoss.forward
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, inputs, labels):
        docs_list = inputs[1]
        batch_size = len(docs_list)
        docs_per_query = [len(docs) for docs in docs_list]  # Python list of ints
        logits = self.model(torch.randn(sum(docs_per_query), 8))[:, 0]
        max_docs = max(docs_per_query)
        logits_matrix = torch.full((batch_size, max_docs), -1e16)
        doc_indices = torch.cat([torch.arange(len(docs)) for docs in docs_list], dim=0)
        batch_indices = torch.repeat_interleave(torch.arange(batch_size), torch.tensor(docs_per_query))
        traced.append(torch.compiler.is_compiling())
        logits_matrix[batch_indices, doc_indices] = logits
        return logits_matrix.sum()


loss_fn = ListwiseLoss(model)
loss_fn((["q1", "q2"], [["d1", "d2", "d3"], ["d4"]]), [torch.tensor([1.0, 0.0, 0.0]), torch.tensor([1.0])])
claim(any(traced), "the listwise CE loss forward (which also tokenizes text via model.preprocess) runs eagerly; "
      f"is_compiling at the flagged line: {traced}")
