# transformers models/deberta_v2/modeling_deberta_v2.py:1060 (DebertaV2ForSequenceClassification.forward) CA110
# `label_index = (labels >= 0).nonzero()`. Fine-tuning with labels of shape (B,) and the default
# config.problem_type None, num_labels > 1, takes this branch on every training forward; nonzero() has a
# data-dependent size, so plain torch.compile of the model breaks at the line.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn as nn
from torch.nn import CrossEntropyLoss


class Head(nn.Module):
    num_labels = 2

    def __init__(self, d=8):
        super().__init__()
        self.classifier = nn.Linear(d, self.num_labels)

    def forward(self, pooled_output, labels):
        logits = self.classifier(pooled_output)
        if labels.dim() == 1 or labels.size(-1) == 1:
            label_index = (labels >= 0).nonzero()
            labels = labels.long()
            if label_index.size(0) > 0:
                labeled_logits = torch.gather(logits, 0, label_index.expand(label_index.size(0), logits.size(1)))
                labels = torch.gather(labels, 0, label_index.view(-1))
                loss = CrossEntropyLoss()(labeled_logits.view(-1, self.num_labels).float(), labels.view(-1))
            else:
                loss = torch.tensor(0).to(logits)
        return loss


check(Head(), torch.randn(4, 8), torch.tensor([0, 1, 1, 0]), mode="default")
