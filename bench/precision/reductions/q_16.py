# peft/tuners/frod/layer.py CA138 nth 1 (line 259, Linear._get_frod_tensors): FRoD's Linear.forward calls
# _get_frod_tensors for each active adapter on every (unmerged) forward, which builds
# torch.sparse_coo_tensor(indices, values, size) from the adapter's buffers and parameter; Dynamo skips
# sparse_coo_tensor (GB0007) and fullgraph=True fails at the line.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch
import torch.nn.functional as F


class FrodLinear(torch.nn.Module):
    def __init__(self, i=8, o=8, r=4, nnz=5):
        super().__init__()
        self.frod_U = torch.nn.ParameterDict({"default": torch.nn.Parameter(torch.randn(o, r))})
        self.frod_V = {"default": torch.randn(i, r)}
        self.frod_s_indices = {"default": torch.randint(0, r, (2, nnz))}
        self.frod_s_size = {"default": torch.tensor([r, r])}
        self.frod_lambda_s_values = torch.nn.ParameterDict({"default": torch.nn.Parameter(torch.randn(nnz))})

    def _get_frod_tensors(self, adapter, *, device, dtype):
        U = self.frod_U[adapter].to(device=device, dtype=dtype)
        V = self.frod_V[adapter].to(device=device, dtype=dtype)
        indices = self.frod_s_indices[adapter].to(device=device, dtype=torch.long)
        size = (4, 4)  # the int64 frod_s_size buffer's .tolist() (line 256) is judged on its own
        values = self.frod_lambda_s_values[adapter].to(device=device, dtype=dtype)
        S_sparse = torch.sparse_coo_tensor(indices, values, size).coalesce()
        return U, V, S_sparse

    def forward(self, x):
        U, V, S_sparse = self._get_frod_tensors("default", device=x.device, dtype=x.dtype)
        z = x @ V
        return F.linear(torch.sparse.mm(S_sparse, z.t()).t(), U)


check(FrodLinear(), torch.randn(2, 8))
