# torchtune models/clip/_position_embeddings.py:468 (TiledTokenPositionalEmbedding.forward) and :658
# (TilePositionalEmbedding.forward) CA143 `self.global_token_positional_embedding[:n_tiles_h, :n_tiles_w, :, :]` /
# `self.embedding[:n_tiles_h, :n_tiles_w, :, :]`. aspect_ratio is a (bsz * n_imgs, 2) int64 Tensor; iterating it
# gives 0-d Tensors n_tiles_h, n_tiles_w, and slicing with them needs an implicit .item(): plain torch.compile
# breaks (GB0124). In the library loop the int(n_tiles_h * n_tiles_w) one line earlier (CA106, judged TRUE, h_03)
# breaks first and Dynamo skips the frame; this reduction computes n_non_padded_tiles without int() (any fix of
# that line) and shows that the slice itself still breaks.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn as nn


class TilePositionalEmbedding(nn.Module):
    def __init__(self, max_num_tiles=4, embed_dim=8):
        super().__init__()
        self.embed_dim = embed_dim
        self.embedding = nn.Parameter(torch.randn(max_num_tiles, max_num_tiles, 1, embed_dim))
        self.gate = nn.Parameter(torch.zeros(1))

    def forward(self, x, aspect_ratio):
        for batch_idx, (n_tiles_h, n_tiles_w) in enumerate(aspect_ratio):
            pos_embed = self.embedding[:n_tiles_h, :n_tiles_w, :, :]
            n_non_padded_tiles = pos_embed.shape[0] * pos_embed.shape[1]
            pos_embed = pos_embed.reshape(n_non_padded_tiles, 1, self.embed_dim)
            x[batch_idx, :n_non_padded_tiles, :, :] += pos_embed * self.gate.tanh()
        return x


check(TilePositionalEmbedding(), torch.randn(2, 4, 5, 8), torch.tensor([[2, 1], [1, 2]]), mode="default")
