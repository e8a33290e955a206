# diffusers diffusers/models/autoencoders/vae.py:623 CA111 nth 1 -- new[unknown] = torch.randint(...)
# diffusers diffusers/models/autoencoders/vae.py:623 CA111 nth 2 -- size=new[unknown].shape
# diffusers diffusers/models/autoencoders/vae.py:625 CA111 nth 1 -- new[unknown] = self.unknown_index
# remap_to_used is only called when self.remap is not None; every VectorQuantizer in diffusers
# (VQModel, PaellaVQModel) is built with remap=None, so the compiled forward never reaches it.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


class VectorQuantizer(torch.nn.Module):
    def __init__(self, n_e=16, dim=4, remap=None):
        super().__init__()
        self.embedding = torch.nn.Embedding(n_e, dim)
        self.remap = remap  # VQModel: remap=None
        self.dim = dim

    def remap_to_used(self, inds):
        match = (inds[:, :, None] == torch.arange(8)[None, None, :]).long()
        new = match.argmax(-1)
        unknown = match.sum(2) < 1
        new[unknown] = torch.randint(0, 8, size=new[unknown].shape).to(device=new.device)
        return new

    def forward(self, z):
        z = z.permute(0, 2, 3, 1).contiguous()
        idx = torch.argmin(torch.cdist(z.view(-1, self.dim), self.embedding.weight), dim=1)
        z_q = self.embedding(idx).view(z.shape)
        if self.remap is not None:
            idx = self.remap_to_used(idx.reshape(z.shape[0], -1)).reshape(-1, 1)
        return z_q.permute(0, 3, 1, 2), idx


check(VectorQuantizer(), torch.rand(1, 4, 8, 8), mode="default")
