import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid

CONVERSIONS = {"builtins.int": "int", "builtins.float": "float", "builtins.bool": "bool", "builtins.complex": "complex"}


class TensorToPythonScalar(Rule):
    code = "CA106"
    name = "tensor-to-python-scalar"
    severity = "warning"
    captured_by = "capture_scalar_outputs"
    proof = "default"
    message = (
        "`{func}()` of a tensor reads its value into Python (an implicit `.item()`): graph break in "
        "plain `torch.compile` (GB0124); `fullgraph=True` captures it as an unbacked symbol"
    )
    what = "Flags `int(t)`, `float(t)`, `bool(t)` and `complex(t)` on a tensor value inside compiled code."
    why = (
        "Converting a tensor to a Python number calls `.item()` under the hood: Dynamo cannot know "
        "the value while tracing. In default mode it ends the graph there; with scalar capture "
        "(implied by `fullgraph=True` on torch 2.10+) the number becomes an unbacked symbol and any "
        "later Python decision on it (`range(n)`, `if n:`) fails instead."
    )
    fix_safety = "No automatic fix: keep the value as a 0-d tensor and use tensor ops (`x * t`, `torch.where`)."
    gb_codes = ("GB0124",)
    verdict = "torch 2.13: breaks in default mode (GB0124); captured under `fullgraph=True`."
    VALID = [
        Valid(
            """
            import torch

            @torch.compile
            def scale(x):
                n = x.shape[0]
                return x * float(n) + x.sum()
            """,
            target="scale, (torch.ones(4),)",
        ),
        Valid(
            """
            import torch

            class Mix(torch.nn.Module):
                def __init__(self, alpha: float = 0.5):
                    super().__init__()
                    self.alpha = float(alpha)

                def forward(self, x):
                    return x * self.alpha + int(x.dim())
            """,
            target="Mix(), (torch.ones(4),)",
        ),
        Valid(
            """
            import torch

            class Sampler(torch.nn.Module):
                def forward(self, x, topk=None):
                    if topk is not None:
                        topk = min(int(topk), x.shape[-1])  # a count the caller passes
                        return x.topk(topk).values
                    return x
            """,
            target="Sampler(), (torch.randn(8), 3)",
        ),
        Valid(
            """
            import torch

            _is_compiling = getattr(torch.compiler, "is_compiling", None)


            def is_compiling() -> bool:
                return bool(_is_compiling()) if _is_compiling is not None else False


            @torch.compile
            def blur(x, sigma):
                # an eager-only argument check, skipped by short-circuit under Dynamo
                if not is_compiling() and not bool((sigma > 0).all()):
                    raise ValueError("sigma must be positive")
                return x * sigma
            """,
            target="blur, (torch.ones(3), torch.ones(3))",
        ),
    ]
    INVALID = [
        Invalid(
            """
            from typing import Optional

            import torch


            def scatter_sum(src: torch.Tensor, index: torch.Tensor, dim_size: Optional[int] = None) -> torch.Tensor:
                if dim_size is None:  # a parameter filled on every call, not a cache
                    dim_size = int(index.max()) + 1
                return src.new_zeros(dim_size).index_add_(0, index, src)


            class Pool(torch.nn.Module):
                def forward(self, x, batch):
                    return scatter_sum(x, batch)
            """,
            line=8,
            target="Pool(), (torch.randn(5), torch.tensor([0, 0, 1, 2, 2]))",
        ),
        Invalid(
            """
            import torch

            @torch.compile
            def scale(x):
                n = int(x.sum())
                return x * n
            """,
            line=5,
            target="scale, (torch.ones(4),)",
        ),
        Invalid(
            """
            import torch

            class Norm(torch.nn.Module):
                def forward(self, x):
                    peak = float(x.abs().max())
                    return x / peak
            """,
            line=5,
            target="Norm(), (torch.randn(4),)",
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = CONVERSIONS.get(self.qualified_name(node.func) or "")
        if not func or len(node.args) != 1:
            return
        # `int(n)` of an unannotated parameter only taken for a Tensor: the conversion is the
        # author's word that it is a number (a Tensor needs evidence here)
        arg = node.args[0].value
        if _arithmetic(arg) and self.context.value(arg).assumed:
            return
        if self.tensor(node.args[0].value):
            self.report(node, func=func)


def _arithmetic(expr: cst.BaseExpression) -> bool:
    """Names and numbers combined by arithmetic (``n``, ``total * (1 - ratio)``): nothing in it
    says Tensor (a tensor method such as ``x.sum()`` would)."""
    if isinstance(expr, (cst.Name, cst.Integer, cst.Float)):
        return True
    if isinstance(expr, cst.BinaryOperation):
        return _arithmetic(expr.left) and _arithmetic(expr.right)
    if isinstance(expr, cst.UnaryOperation):
        return _arithmetic(expr.expression)
    return False
