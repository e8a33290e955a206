# transformers models/bart/modeling_bart.py:657 (BartDecoder.forward), models/whisper/modeling_whisper.py:803
# (WhisperDecoder.forward), models/opt/modeling_opt.py:382 (OPTDecoder.forward) CA104
# `if dropout_probability < self.layerdrop:` followed by `continue` (decoder LayerDrop).
# In training with config.(decoder_)layerdrop > 0 (documented LayerDrop option), dropout_probability = torch.rand([])
# is a 0-d Tensor and the `if` is data-dependent branching: fullgraph fails at the line.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn as nn


class Decoder(nn.Module):
    def __init__(self, layerdrop=0.1, n=3, d=8):
        super().__init__()
        self.layerdrop = layerdrop
        self.layers = nn.ModuleList(nn.Linear(d, d) for _ in range(n))

    def forward(self, hidden_states):
        for idx, decoder_layer in enumerate(self.layers):
            if self.training and self.layerdrop > 0.0:
                dropout_probability = torch.rand([])
                if dropout_probability < self.layerdrop:
                    continue
            hidden_states = decoder_layer(hidden_states)
        return hidden_states


dec = Decoder().train()
check(dec, torch.randn(2, 5, 8))
