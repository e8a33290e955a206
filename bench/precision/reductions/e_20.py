# e_20: x_transformers x_transformers/multi_input.py:149 and x_transformers/x_transformers.py:4305
# (CA107 f'{name}_embed'): name is a str key of the input dict (x.items() / embed_ids.items()),
# not a tensor; the f-string is folded to a constant ModuleDict key.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn as nn


class MultiInputEmbed(nn.Module):
    def __init__(self):
        super().__init__()
        self.embeds = nn.ModuleDict({'note_embed': nn.Embedding(10, 8), 'pitch_embed': nn.Embedding(20, 8)})

    def forward(self, x):
        token_emb = 0.
        for name, embed_id in x.items():
            embed_key = f'{name}_embed'
            assert embed_key in self.embeds
            embed = self.embeds[embed_key](embed_id)
            token_emb = token_emb + embed
        return token_emb


check(MultiInputEmbed(), {'note': torch.randint(0, 10, (2, 6)), 'pitch': torch.randint(0, 20, (2, 6))})
