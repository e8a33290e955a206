# torchtune/modules/_export/_position_embeddings.py:197-198 and 639-640 CA102: n_tiles_h = n_tiles_h.item(),
# n_tiles_w = n_tiles_w.item() in the torch.export()-friendly TilePositionalEmbedding / TiledTokenPositionalEmbedding.
# These modules are swapped in only for torch.export (replace_tile_positional_embedding / ExecuTorch); torchtune's
# models and recipes (which torch.compile) use torchtune.models.clip._position_embeddings instead. The .item()
# values are guarded with torch._check for unbacked SymInts: under export-style capture (fullgraph, which implies
# capture_scalar_outputs) the line traces without a break.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F


class TilePositionalEmbedding(torch.nn.Module):
    def __init__(self, max_num_tiles: int = 4, embed_dim: int = 8):
        super().__init__()
        self.max_num_tiles = max_num_tiles
        self.embed_dim = embed_dim
        self.embedding = torch.nn.Parameter(torch.randn(max_num_tiles, max_num_tiles, 1, embed_dim))
        self.gate = torch.nn.Parameter(torch.zeros(1))

    def forward(self, x, aspect_ratio):
        bsz_and_n_imgs, n_tiles, n_tokens, embed_dim = x.shape
        torch._check(n_tiles <= self.max_num_tiles)
        for batch_idx, (n_tiles_h, n_tiles_w) in enumerate(aspect_ratio):
            n_tiles_h = n_tiles_h.item()
            n_tiles_w = n_tiles_w.item()
            n_non_padded_tiles = int(n_tiles_h * n_tiles_w)
            torch._check_is_size(n_tiles_h)
            torch._check_is_size(n_tiles_w)
            torch._check(n_tiles_h >= 1)
            torch._check(n_tiles_w >= 1)
            torch._check(n_tiles_h <= self.max_num_tiles)
            torch._check(n_tiles_w <= self.max_num_tiles)
            padded_embedding = F.pad(self.embedding, (0, 0, 0, 0, 0, 1, 0, 1))
            pos_embed = padded_embedding[:n_tiles_h, :n_tiles_w, :, :]
            pos_embed = pos_embed.clone()
            pos_embed = pos_embed.reshape(n_non_padded_tiles, 1, self.embed_dim)
            x = F.pad(x, (0, 0, 0, 0, 0, 1, 0, 0))
            torch._check_is_size(n_non_padded_tiles)
            torch._check(n_non_padded_tiles < x.size(1))
            x[batch_idx, :n_non_padded_tiles, :, :] += pos_embed * self.gate.tanh()
            x = x[:, :n_tiles, :, :]
        return x


m = TilePositionalEmbedding()
x = torch.randn(2, 4, 5, 8)
ar = torch.tensor([[2, 2], [1, 3]])
ep = torch.export.export(m, (x, ar), strict=True)
print("torch.export (strict, Dynamo) succeeded:", type(ep).__name__)
check(m, x, ar)
