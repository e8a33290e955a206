# j_07: sentence_transformers gist_embed.py:152-153 and cached_gist_embed.py:204-205 `input_ids[0].tolist()`, `cu_seq_lens_q.tolist()` (CA103, integer tensors)
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import random, warnings
import torch
from torch import nn

# Training setup as in sentence-transformers: the Trainer (torch_compile=True) or model.compile()
# compiles only the model; BaseTrainer.compute_loss calls `loss_fn(features, labels)` eagerly and the
# loss calls the (compiled) model inside its forward.
model = torch.compile(nn.Linear(8, 8), backend="eager")
traced = []  # torch.compiler.is_compiling() recorded at the flagged line


class GISTEmbedLoss(nn.Module):  # guide re-tokenization of packed (cu_seq_lens) inputs
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, sentence_features, labels):
        emb = self.model(torch.randn(2, 8))
        with torch.no_grad():
            for sentence_feature in sentence_features:
                input_ids = sentence_feature["input_ids"]
                if "cu_seq_lens_q" in sentence_feature:
                    traced.append(torch.compiler.is_compiling())
                    flat_input_ids = input_ids[0].tolist()
                    cu_seq_lens = sentence_feature["cu_seq_lens_q"].tolist()
                    input_ids = [flat_input_ids[s:e] for s, e in zip(cu_seq_lens[:-1], cu_seq_lens[1:])]
                # decoded = self.tokenizer.batch_decode(input_ids) ; self.guide.preprocess(decoded) ...
        return emb.sum()


feat = {"input_ids": torch.tensor([[101, 7, 8, 102, 101, 9, 102]]), "cu_seq_lens_q": torch.tensor([0, 4, 7], dtype=torch.int32)}
GISTEmbedLoss(model)([feat], None)
claim(any(traced), "the re-tokenization for the guide model (tolist -> tokenizer.batch_decode -> guide.preprocess) is in "
      f"the eager loss forward / embed_minibatch, never in a compiled forward. is_compiling at the lines: {traced}")
