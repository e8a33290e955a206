# torchtune/modules/transformer.py CA127 nth 1 (line 656, TransformerDecoder.unembed: `output = self.chunked_output(h)`).
# chunked_output is decorated @torch.compiler.disable. Training with CEWithChunkedOutputLoss (torchtune 0.6's only
# cross-entropy loss, num_output_chunks=8 by default) calls model.set_num_output_chunks(loss_fn.num_output_chunks),
# so every forward of a compiled TransformerDecoder takes this branch and calls the disabled method: a graph break
# (GB0098) that fails fullgraph=True. (torchtune's own training.compile_model compiles only the layers, where the call stays outside the
# compiled code; compiling the whole decoder, as torch.compile(model) does, hits it.) Reduced TransformerDecoder.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
from typing import List

import torch
from torch import nn


class TransformerDecoder(nn.Module):
    def __init__(self, vocab=64, dim=32, n_layers=2):
        super().__init__()
        self.tok_embeddings = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList(nn.Linear(dim, dim) for _ in range(n_layers))
        self.norm = nn.RMSNorm(dim)
        self.output = nn.Linear(dim, vocab, bias=False)
        self.num_output_chunks = 0

    def set_num_output_chunks(self, num_output_chunks: int) -> None:
        self.num_output_chunks = num_output_chunks

    @torch.compiler.disable
    def chunked_output(self, last_hidden_state: torch.Tensor) -> List[torch.Tensor]:
        return [self.output(chunk) for chunk in last_hidden_state.chunk(self.num_output_chunks, dim=1)]

    def forward(self, tokens):
        h = self.tok_embeddings(tokens)
        for layer in self.layers:
            h = layer(h)
        return self.unembed(h)

    def unembed(self, h):
        h = self.norm(h)
        if self.num_output_chunks > 0:
            output = self.chunked_output(h)
        else:
            output = self.output(h).float()
        return output


model = TransformerDecoder()
model.set_num_output_chunks(8)  # as the recipes do with CEWithChunkedOutputLoss(num_output_chunks=8)
check(model, torch.randint(0, 64, (2, 16)))
