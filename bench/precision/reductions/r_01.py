# transformers models/bart/modeling_bart.py:537 (BartEncoder.forward) and models/whisper/modeling_whisper.py:631
# (WhisperEncoder.forward) CA104 `if dropout_probability < self.layerdrop:` (encoder LayerDrop, to_drop flag).
# The encoders are PreTrainedModel subclasses run inside the compiled model's forward. In training with
# config.encoder_layerdrop > 0 (the documented LayerDrop option; the default 0.0 short-circuits), dropout_probability
# = torch.rand([]) is a 0-d Tensor, so the `if` on `tensor < float` is data-dependent branching: fullgraph fails.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self, layerdrop=0.1, n=3, d=8):
        super().__init__()
        self.layerdrop = layerdrop
        self.layers = nn.ModuleList(nn.Linear(d, d) for _ in range(n))

    def forward(self, hidden_states):
        for idx, encoder_layer in enumerate(self.layers):
            to_drop = False
            if self.training and self.layerdrop > 0.0:
                dropout_probability = torch.rand([])
                if dropout_probability < self.layerdrop:  # skip the layer
                    to_drop = True
            if not to_drop:
                hidden_states = encoder_layer(hidden_states)
        return hidden_states


enc = Encoder().train()
check(enc, torch.randn(2, 5, 8))
