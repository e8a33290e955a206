# peft/tuners/cpt/model.py CA104 nth 1 (line 137, CPTEmbedding.get_projection): in CPT training,
# PeftModelForCausalLM.forward -> _cpt_forward -> get_prompt calls the prompt encoder (CPTEmbedding.forward), which
# calls get_projection every step; torch.any(projection_mask) is a 0-d bool Tensor and `if` on it fails under
# fullgraph=True (data-dependent branching).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


class CPTEmbedding(torch.nn.Module):
    def __init__(self, n=4, d=8):
        super().__init__()
        self.embedding = torch.nn.Embedding(n, d)
        self.delta_embedding = torch.nn.Embedding(n, d)
        self.register_buffer("eps", torch.full((n,), 0.1))

    def get_projection(self):
        with torch.no_grad():
            new_embeddings_weights = self.delta_embedding.weight.clone().to(self.delta_embedding.weight.device)
            token_norm = torch.norm(new_embeddings_weights, p=2, dim=1)
            projection_mask = token_norm > 0
            if torch.any(projection_mask):
                new_embeddings_weights = new_embeddings_weights * 0.5
            return new_embeddings_weights

    def forward(self, indices):
        with torch.no_grad():
            prompt_embeddings = self.embedding(indices)
        w = self.get_projection()
        return prompt_embeddings + torch.nn.functional.embedding(indices, w)


check(CPTEmbedding(), torch.arange(4).unsqueeze(0))
