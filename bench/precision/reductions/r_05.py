# transformers models/modernbert/modeling_modernbert.py:535 (ModernBertForMaskedLM.forward) CA111
# `labels = labels[mask_tokens]`. With config.sparse_prediction=True (ModernBERT's documented option to compute MLM
# logits only on masked tokens) and labels given (MLM training), mask_tokens = labels != ignore_index is a bool
# Tensor: both mask reads (hidden states, then labels) have a data-dependent size and plain torch.compile breaks at
# each (two breaks counted: the resume after the first traces the labels line and breaks again).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn as nn


class MLMHead(nn.Module):
    sparse_prediction = True
    sparse_pred_ignore_index = -100

    def __init__(self, d=8, vocab=11):
        super().__init__()
        self.decoder = nn.Linear(d, vocab)

    def forward(self, last_hidden_state, labels):
        if self.sparse_prediction and labels is not None:
            labels = labels.view(-1)
            last_hidden_state = last_hidden_state.view(labels.shape[0], -1)
            mask_tokens = labels != self.sparse_pred_ignore_index
            last_hidden_state = last_hidden_state[mask_tokens]
            labels = labels[mask_tokens]
        logits = self.decoder(last_hidden_state)
        return nn.functional.cross_entropy(logits, labels)


labels = torch.full((2, 6), -100)
labels[0, 1] = 3; labels[1, 4] = 7
check(MLMHead(), torch.randn(2, 6, 8), labels, mode="default")
