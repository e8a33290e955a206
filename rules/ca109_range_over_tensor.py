import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid


class RangeOverTensor(Rule):
    code = "CA109"
    name = "range-over-tensor"
    severity = "error"
    message = (
        "`range()` of a tensor value: the loop count is data-dependent, so Dynamo cannot unroll it "
        "and breaks the graph (GB0059, or a data-dependent guard error under `fullgraph=True`)"
    )
    what = "Flags `range(...)` whose bounds are tensor values (`range(n)`, `range(int(x.max()))`) inside compiled code."
    why = (
        "Dynamo unrolls Python loops while tracing, so it needs the trip count as a Python int. A "
        "count read from a tensor is only known at run time: `range(t)` fails to trace (GB0059), "
        "`range(int(t))` breaks at the implicit `.item()` in default mode and fails to guard on the "
        "unbacked value under `fullgraph=True`."
    )
    fix_safety = "No automatic fix: loop over a static bound and mask, or use `torch.cond`/`while_loop`."
    gb_codes = ("GB0059", "GB0124")
    verdict = "torch 2.13: `range(t)` breaks in every mode; `range(int(t.max()))` fails under fullgraph (UserError)."
    VALID = [
        Valid(
            """
            import torch

            @torch.compile
            def repeat(x, times: int = 3):
                for _ in range(times):
                    x = x * 2
                return x
            """,
            target="repeat, (torch.ones(4),)",
        ),
        Valid(
            """
            import torch

            class Stack(torch.nn.Module):
                def forward(self, x):
                    for i in range(x.shape[0]):
                        x = x + i
                    return x
            """,
            target="Stack(), (torch.ones(3),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            @torch.compile
            def repeat(x, n: torch.Tensor):
                for _ in range(n):
                    x = x * 2
                return x
            """,
            line=5,
            target="repeat, (torch.ones(2), torch.tensor(3))",
        ),
        Invalid(
            """
            import torch

            class Grow(torch.nn.Module):
                def forward(self, x):
                    for _ in range(int(x.max())):
                        x = x + 1
                    return x
            """,
            line=5,
            target="Grow(), (torch.tensor([1.0, 3.0]),)",
        ),
    ]

    def _tensorish(self, expr: cst.BaseExpression) -> bool:
        if self.tensor(expr):
            return True
        if isinstance(expr, cst.Call) and self.qualified_name(expr.func) in ("builtins.int", "builtins.float"):
            return bool(expr.args) and self.tensor(expr.args[0].value)
        if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "item":
            return True
        return False

    def visit_Call(self, node: cst.Call) -> None:
        if self.qualified_name(node.func) == "builtins.range" and any(self._tensorish(a.value) for a in node.args):
            self.report(node)
