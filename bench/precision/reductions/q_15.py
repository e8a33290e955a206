# peft/tuners/cpt/model.py CA111 nth 1-3 (line 140, CPTEmbedding.get_projection, run by CPTEmbedding.forward every
# CPT training step once the delta embeddings are non-zero): epsilon[projection_mask], token_norm[projection_mask]
# and epsilon[projection_mask] index float Tensors with the bool mask token_norm > 0: data-dependent length, plain
# torch.compile breaks (GB0036). Shown from the point Dynamo resumes inside the `if torch.any(...)` branch.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


def branch(new_embeddings_weights, token_norm, epsilon):
    projection_mask = token_norm > 0
    new_embeddings_weights[projection_mask] *= (
        epsilon[projection_mask] / (token_norm[projection_mask].clamp(min=epsilon[projection_mask]))
    ).view(-1, 1)
    return new_embeddings_weights


w = torch.randn(4, 8)
w[1] = 0
check(branch, w, torch.norm(w, p=2, dim=1), torch.full((4,), 0.1), mode="default")
