# monai/networks/nets/vista3d.py CA104 nth 1 (line 563, PointMappingSAM.forward, VISTA3D's point head called
# with class_vector=prompt_class): class_vector is a [B, 1] long Tensor, iterating it gives Tensor rows, and
# `if i > self.last_supported:` is data-dependent branching -> fullgraph fails.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
from torch import nn

zeroshot_embed = nn.Embedding(1, 16)
supported_embed = nn.Embedding(1, 16)
last_supported = 132


def class_tokens(point_embedding, class_vector):
    class_embeddings = []
    for i in class_vector:
        if i > last_supported:
            class_embeddings.append(zeroshot_embed.weight)
        else:
            class_embeddings.append(supported_embed.weight)
    return torch.cat((point_embedding, torch.stack(class_embeddings)), dim=1)


check(class_tokens, torch.randn(2, 3, 16), torch.tensor([[5], [140]]))
