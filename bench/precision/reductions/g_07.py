# g_07: vector_quantize_pytorch vector_quantize_pytorch.py:454 CA104 `if self.initted:`
# Codebook.init_embed_ (decorated @torch.jit.ignore, which Dynamo ignores) is called at the start of every
# Codebook.forward; self.initted is a bool buffer (register_buffer('initted', tensor(not kmeans_init))).
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn as nn
from torch import tensor


class Codebook(nn.Module):
    def __init__(self, kmeans_init=False, codebook_size=8, dim=4):
        super().__init__()
        embed = torch.zeros(1, codebook_size, dim) if kmeans_init else torch.randn(1, codebook_size, dim)
        self.register_buffer('initted', tensor(not kmeans_init))
        self.register_buffer('embed', embed)

    @torch.jit.ignore
    def init_embed_(self, data, mask=None):
        if self.initted:
            return
        self.embed.data.copy_(data[:, :self.embed.shape[1]])
        self.initted.data.copy_(tensor(True))

    def forward(self, x):
        flatten = x.reshape(1, -1, x.shape[-1])
        self.init_embed_(flatten)
        return -torch.cdist(flatten, self.embed)


check(Codebook(), torch.randn(2, 8, 4))
