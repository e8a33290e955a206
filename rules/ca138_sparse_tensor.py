from typing import Optional

import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid
from compile_audit.rules._first_use import read_after

#: tensor methods that make a sparse tensor of a dense one
TO_SPARSE = frozenset({"to_sparse", "to_sparse_coo", "to_sparse_csr", "to_sparse_csc", "to_sparse_bsr", "to_sparse_bsc"})
#: sparse constructors -> what Dynamo reports at them
CONSTRUCTORS = {
    "torch.sparse_coo_tensor": "GB0007",  # a function Dynamo skips
    "torch.sparse_csr_tensor": "GB0374",
    "torch.sparse_csc_tensor": "GB0374",
    "torch.sparse_bsr_tensor": "GB0374",
    "torch.sparse_bsc_tensor": "GB0374",
    "torch.sparse_compressed_tensor": "GB0374",
}


class SparseTensor(Rule):
    code = "CA138"
    name = "sparse-tensor"
    severity = "error"
    message = (
        "`{name}()` makes a sparse tensor in compiled code: Dynamo does not support sparse tensors and "
        "breaks the graph ({gb})"
    )
    what = (
        "Flags sparse tensors made inside compiled code: `t.to_sparse()` (and `to_sparse_coo/csr/csc/"
        "bsr/bsc`) of a tensor, `torch.sparse_coo_tensor(...)`, `torch.sparse_csr_tensor(...)` and the "
        "other compressed-layout constructors; and, when the sparse tensor is bound to a local, the "
        "first statement after it that reads that local (the second break, in default mode)."
    )
    why = (
        "Dynamo has no fake-tensor support for sparse layouts: it refuses to hold the result of "
        "`to_sparse()` (GB0277), skips `torch.sparse_coo_tensor` (GB0007) and refuses the compressed "
        "constructors (GB0374), in both modes. In default mode it runs the call eagerly and resumes "
        "after it with the sparse tensor as an input of the resumed code, which it refuses to wrap "
        "where the local is first read (GB0015); from there the function runs eagerly."
    )
    fix_safety = (
        "No automatic fix: keep the computation dense (`torch.sparse.mm`, `torch.spmm` and `@` of dense "
        "operands compile), or make and use the sparse tensor outside the compiled region."
    )
    gb_codes = ("GB0277", "GB0007", "GB0374", "GB0015")
    verdict = (
        "Making a sparse tensor breaks in every mode (GB0277 for `to_sparse*()`, GB0007 for "
        "`sparse_coo_tensor`, GB0374 for the compressed constructors); in default mode the first read "
        "of the sparse local breaks again (GB0015). `torch.sparse.mm` of dense tensors compiles and is "
        "not flagged."
    )
    VALID = [
        Valid(
            """
            import torch
            from torch import nn

            class GCNLayer(nn.Module):
                def __init__(self, dim: int = 4):
                    super().__init__()
                    self.fc = nn.Linear(dim, dim)

                def forward(self, x, adj):
                    # a dense adjacency: torch.sparse.mm of dense operands is a plain matmul
                    return torch.sparse.mm(adj, self.fc(x))
            """,
            target="GCNLayer(), (torch.randn(5, 4), (torch.rand(5, 5) > 0.6).float())",
        ),
        Valid(
            """
            import torch
            from torch import nn

            class GCNLayer(nn.Module):
                def __init__(self, dim: int = 4):
                    super().__init__()
                    self.fc = nn.Linear(dim, dim)

                def forward(self, x, adj):
                    if adj.is_sparse:  # False for the dense adjacency the model is compiled with
                        adj = adj.to_dense()
                    return adj @ self.fc(x)
            """,
            target="GCNLayer(), (torch.randn(5, 4), (torch.rand(5, 5) > 0.6).float())",
        ),
        Valid(
            """
            import torch
            from torch import nn

            def normalized_adjacency(edges, n):
                # eager preprocessing: builds the sparse matrix once, outside the model
                values = torch.ones(edges.shape[1])
                return torch.sparse_coo_tensor(edges, values, (n, n)).to_dense()

            class GCN(nn.Module):
                def __init__(self, edges, n: int, dim: int = 4):
                    super().__init__()
                    self.register_buffer("adj", normalized_adjacency(edges, n))
                    self.fc = nn.Linear(dim, dim)

                def forward(self, x):
                    return self.adj @ self.fc(x)
            """,
            target="GCN(torch.tensor([[0, 1], [1, 2]]), 5), (torch.randn(5, 4),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch
            from torch import nn

            class GCNLayer(nn.Module):
                def __init__(self, dim: int = 4):
                    super().__init__()
                    self.fc = nn.Linear(dim, dim)

                def forward(self, x, adj):
                    adj_sp = adj.to_sparse()
                    return torch.sparse.mm(adj_sp, self.fc(x))
            """,
            line=10,
            target="GCNLayer(), (torch.randn(5, 4), (torch.rand(5, 5) > 0.6).float())",
        ),
        Invalid(
            """
            import torch

            @torch.compile
            def propagate(x, edges):
                values = torch.ones(edges.shape[1])
                adj = torch.sparse_coo_tensor(edges, values, (x.shape[0], x.shape[0]))
                return torch.sparse.mm(adj, x)
            """,
            line=6,
            target="propagate, (torch.randn(5, 4), torch.tensor([[0, 1], [1, 2]]))",
        ),
        Invalid(
            """
            import torch
            from torch import nn

            class Pruned(nn.Module):
                def __init__(self, dim: int = 4):
                    super().__init__()
                    self.weight = nn.Parameter(torch.randn(dim, dim))

                def forward(self, x):
                    w = self.weight * (self.weight.abs() > 0.5)
                    return x @ w.to_sparse_csr().to_dense()
            """,
            line=11,
            target="Pruned(), (torch.randn(3, 4),)",
        ),
        # default mode: the second break, where the resumed code first reads the sparse local
        # (static only: under fullgraph=True the break where it is made comes first)
        Invalid(
            """
            import torch
            from torch import nn

            class GCNLayer(nn.Module):
                def __init__(self, dim: int = 4):
                    super().__init__()
                    self.fc = nn.Linear(dim, dim)

                def forward(self, x, adj):
                    adj_sp = adj.to_sparse()
                    return torch.sparse.mm(adj_sp, self.fc(x))
            """,
            line=11,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        gb = self._sparse_maker(node)
        if gb is None:
            return
        self.report(node, name=self.source(node.func), gb=gb)
        found = read_after(self.context.ancestors, node)
        if found is None:
            return
        local, read, _ = found
        self.report(
            read,
            f"`{local}` holds the sparse tensor made by `{self.source(node.func)}()` above: in default mode "
            "Dynamo resumes after that break with it as an input and breaks the graph again where it is "
            "first read (GB0015)",
        )

    def _sparse_maker(self, node: cst.Call) -> Optional[str]:
        func = node.func
        qualified = self.qualified_name(func)
        if qualified in CONSTRUCTORS:
            return CONSTRUCTORS[qualified]
        if isinstance(func, cst.Attribute) and func.attr.value in TO_SPARSE and self.tensor(func.value):
            return "GB0277"
        return None
