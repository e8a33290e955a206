# g_17: transformers_holdout models/wav2vec2/modeling_wav2vec2.py:849 CA115 `layerdrop_prob = np.random.random()`
# Wav2Vec2Adapter.forward (used when config.add_adapter=True) draws np.random.random() for every adapter layer,
# in train and eval. Dynamo traces it through torch._numpy to a 0-d tensor and must turn it into a Python
# float: under fullgraph that is a data-dependent guard error raised at this line.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import numpy as np
import torch
import torch.nn as nn


class Wav2Vec2Adapter(nn.Module):
    def __init__(self, num_adapter_layers=3, layerdrop=0.1, dim=8):
        super().__init__()
        self.layers = nn.ModuleList(nn.Conv1d(dim, dim, 3, padding=1) for _ in range(num_adapter_layers))
        self.layerdrop = layerdrop  # config.layerdrop, a Python float

    def forward(self, hidden_states):
        hidden_states = hidden_states.transpose(1, 2)
        for layer in self.layers:
            layerdrop_prob = np.random.random()
            if not self.training or (layerdrop_prob > self.layerdrop):
                hidden_states = layer(hidden_states)
        return hidden_states.transpose(1, 2)


check(Wav2Vec2Adapter().train(), torch.randn(2, 10, 8))
