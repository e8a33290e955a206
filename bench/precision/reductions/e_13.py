# e_13: torchvision/models/googlenet.py:178 and torchvision/models/inception.py:170 (CA113 warnings.warn)
# The warn is nested under `if torch.jit.is_scripting():` (and `not aux_defined`); Dynamo folds
# is_scripting() to False, so it is dead under torch.compile.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import warnings
from collections import namedtuple
import torch
import torch.nn as nn

GoogLeNetOutputs = namedtuple("GoogLeNetOutputs", ["logits", "aux_logits2", "aux_logits1"])


class GoogLeNetTail(nn.Module):
    def __init__(self):
        super().__init__()
        self.aux_logits = False
        self.fc = nn.Linear(8, 4)

    def eager_outputs(self, x, aux2, aux1):
        if self.training and self.aux_logits:
            return GoogLeNetOutputs(x, aux2, aux1)
        return x

    def forward(self, x):
        x, aux2, aux1 = self.fc(x), None, None
        aux_defined = self.training and self.aux_logits
        if torch.jit.is_scripting():
            if not aux_defined:
                warnings.warn("Scripted GoogleNet always returns GoogleNetOutputs Tuple")
            return GoogLeNetOutputs(x, aux2, aux1)
        else:
            return self.eager_outputs(x, aux2, aux1)


check(GoogLeNetTail().eval(), torch.randn(2, 8))
