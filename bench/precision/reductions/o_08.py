# transformers/models/whisper/modeling_whisper.py CA115 nth 1 (line 123, _compute_mask_indices):
# `epsilon = np.random.rand(1).item()`. CA115 says Dynamo cannot trace np.random.rand; it can: Dynamo runs NumPy
# random through torch._numpy (torch's generator), and with fullgraph=True the whole line compiles (.item() becomes
# an unbacked float). The break plain torch.compile takes here is the .item() (CA102, o_07), not the RNG call.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import numpy as np
import torch


def head(input_features):
    epsilon = np.random.rand(1).item()
    return input_features * 2, epsilon


check(head, torch.randn(2, 8, 100))
