# transformers *ForSequenceClassification.forward (bloom:752, falcon:1000, gpt2:928, gpt_neox:523, opt:596) CA112
# `logger.warning_once(f"{...} will not detect padding tokens in \`inputs_embeds\`...")`: the warning is the else of
# `elif input_ids is not None:`, taken only when a caller classifies precomputed inputs_embeds instead of token ids.
# In normal use (input_ids given; the base model raises when neither is given) the branch is not traced and the
# pooling compiles whole.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


class Classifier(torch.nn.Module):
    def __init__(self, pad_token_id=0):
        super().__init__()
        self.embed = torch.nn.Embedding(10, 4)
        self.score = torch.nn.Linear(4, 2)
        self.pad_token_id = pad_token_id

    def forward(self, input_ids=None, inputs_embeds=None):
        hidden = self.embed(input_ids) if inputs_embeds is None else inputs_embeds
        logits = self.score(hidden)
        if input_ids is not None:
            non_pad_mask = (input_ids != self.pad_token_id).to(logits.device, torch.int32)
            token_indices = torch.arange(input_ids.shape[-1], device=logits.device, dtype=torch.int32)
            last_non_pad_token = (token_indices * non_pad_mask).argmax(-1)
        else:
            last_non_pad_token = -1
            print("will not detect padding tokens in inputs_embeds")
        return logits[torch.arange(logits.shape[0]), last_non_pad_token]


check(Classifier(), torch.tensor([[3, 4, 5, 0], [6, 7, 0, 0]]))
