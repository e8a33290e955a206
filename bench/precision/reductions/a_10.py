# torchtune/modules/_export/attention.py:316 CA102: torch.cond(torch.isnan(y).all().item(), true_fn, false_fn, (y,))
# in the torch.export()-friendly MultiHeadAttention (swapped in only for export by replace_mha_with_inference_mha;
# torchtune's compiled models use torchtune.modules.attention.MultiHeadAttention). Under export-style capture
# (fullgraph, which implies capture_scalar_outputs) the .item() becomes an unbacked SymBool predicate for
# torch.cond and traces without a break.
import sys, pathlib; sys.path.insert(0, str(pathlib.Path(__file__).parent)); from _harness import check, claim, recompiles
import torch


class Attn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.k_proj = torch.nn.Linear(8, 8)
        self.v_proj = torch.nn.Linear(8, 8)
        self.register_buffer("k_cache", torch.zeros(1, 4, 8))
        self.register_buffer("v_cache", torch.zeros(1, 4, 8))

    def forward(self, y):
        def true_fn(y):
            return self.k_cache.clone(), self.v_cache.clone()

        def false_fn(y):
            return self.k_proj(y), self.v_proj(y)

        k, v = torch.cond(torch.isnan(y).all().item(), true_fn, false_fn, (y,))
        self.k_cache.copy_(k)
        self.v_cache.copy_(v)
        return k + v


m = Attn()
y = torch.randn(1, 4, 8)
ep = torch.export.export(m, (y,), strict=True)
print("torch.export (strict, Dynamo) succeeded:", type(ep).__name__)
check(m, y)
