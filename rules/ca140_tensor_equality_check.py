import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid

#: torch functions (and the Tensor methods of the same name) that return a Python bool read
#: from the tensors' data: ``aten.equal`` and ``aten.allclose`` carry the
#: ``data_dependent_output`` tag; ``is_nonzero`` reads the single element the same way
FUNCTIONS = {"torch.equal": "equal", "torch.allclose": "allclose", "torch.is_nonzero": "is_nonzero"}
METHODS = frozenset(FUNCTIONS.values())


class TensorEqualityCheck(Rule):
    code = "CA140"
    name = "tensor-equality-check"
    severity = "error"
    message = (
        "`{name}` in compiled code returns a Python bool computed from the tensors' data: Dynamo "
        "cannot trace it and breaks the graph (GB0033), also under `fullgraph=True`"
    )
    what = (
        "Flags `torch.equal(a, b)`, `torch.allclose(a, b)`, `torch.is_nonzero(t)` and their Tensor "
        "methods (`a.equal(b)`, `a.allclose(b)`, `t.is_nonzero()`) inside compiled code."
    )
    why = (
        "These ops answer with a Python `bool` that depends on the values in the tensors "
        "(`aten.equal` and `aten.allclose` are tagged `data_dependent_output`). While tracing, "
        "tensors are fake and hold no values, so Dynamo breaks the graph at the call (GB0033, "
        "'Data dependent operator'). Unlike `.item()`, scalar capture does not help: the break "
        "happens under `fullgraph=True` too (for `is_nonzero`, `fullgraph=True` fails on the "
        "data-dependent guard instead)."
    )
    fix_safety = (
        "No automatic fix: compare shapes and dtypes (static) instead of values, keep the result "
        "as a tensor (`(a == b).all()`, `torch.isclose(a, b).all()`) and select with "
        "`torch.where`, or do the check outside compiled code."
    )
    gb_codes = ("GB0033",)
    verdict = (
        "torch 2.13 and 2.14: breaks at the call in default mode and under `fullgraph=True` "
        "(GB0033, 'Data dependent operator')."
    )
    VALID = [
        Valid(
            """
            import torch

            class Fuse(torch.nn.Module):
                def forward(self, a, b):
                    if a.shape == b.shape and a.dtype == b.dtype:  # metadata: static
                        return a + b
                    return a
            """,
            target="Fuse(), (torch.ones(2, 3), torch.ones(2, 3))",
        ),
        Valid(
            """
            import torch

            @torch.compile
            def match(a, b):
                same = torch.isclose(a, b).all()  # stays a tensor
                return torch.where(same, a, b)
            """,
            target="match, (torch.ones(3), torch.ones(3))",
        ),
        Valid(
            """
            import torch

            def check_cache(positions, cached):
                return torch.equal(positions, cached)  # eager code: never compiled

            class Net(torch.nn.Module):
                def forward(self, x):
                    return x * 2
            """,
            target="Net(), (torch.ones(3),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            class RotaryCache(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.register_buffer("cached_pos", torch.arange(4))
                    self.register_buffer("cached_emb", torch.randn(4, 8))

                def forward(self, x, positions):
                    if torch.equal(positions, self.cached_pos):
                        return x + self.cached_emb
                    return x + torch.sin(positions[:, None].float())
            """,
            line=10,
            target="RotaryCache(), (torch.randn(4, 8), torch.arange(4))",
        ),
        Invalid(
            """
            import torch

            @torch.compile
            def converged(prev, cur):
                if cur.allclose(prev, atol=1e-4):
                    return cur
                return (prev + cur) / 2
            """,
            line=5,
            target="converged, (torch.ones(3), torch.ones(3))",
        ),
        Invalid(
            """
            import torch

            @torch.compile
            def step(x: torch.Tensor, ref: torch.Tensor):
                same = x.equal(ref)
                return x + 1, same
            """,
            line=5,
            target="step, (torch.arange(3), torch.arange(3))",
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        qualified = self.qualified_name(func)
        if qualified in FUNCTIONS:
            self.report(node, name=f"{self.source(func)}()")
        elif isinstance(func, cst.Attribute) and func.attr.value in METHODS and self.tensor(func.value):
            self.report(node, name=f".{func.attr.value}()")
