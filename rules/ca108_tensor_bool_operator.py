import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid


class TensorBoolOperator(Rule):
    code = "CA108"
    name = "tensor-bool-operator"
    severity = "error"
    message = (
        "`{op}` on a tensor value calls `bool()` on it: data-dependent, so Dynamo breaks the graph "
        "(GB0170); use `&`, `|`, `~` or `torch.logical_and/or/not`"
    )
    what = (
        "Flags Python's `and`, `or` and `not` applied to tensor values inside compiled code, "
        "outside `if`/`while` conditions (those are CA104). `x is None or ...` and conditions on "
        "shapes are not tensor values and are not flagged."
    )
    why = (
        "`a and b` and `not a` evaluate the truth of a tensor, which needs its value: Dynamo "
        "breaks the graph (GB0170), or under `fullgraph=True` with scalar capture fails to guard "
        "on the data-dependent value. The element-wise operators `&`, `|`, `~` stay in the graph."
    )
    fix_safety = "No automatic fix: `&`/`|` differ from `and`/`or` on non-boolean tensors (they are bitwise)."
    gb_codes = ("GB0170",)
    verdict = "torch 2.13: `and`/`or` break in every mode (GB0170); `not` fails under fullgraph (data-dependent guard)."
    VALID = [
        Valid(
            """
            from typing import Optional

            import torch

            class UNet(torch.nn.Module):
                def forward(self, r, sca: Optional[torch.Tensor] = None):
                    cond = sca or torch.zeros_like(r)  # a None check: the pipeline never passes sca
                    return r + cond
            """,
            target="UNet(), (torch.ones(3),)",
        ),
        Valid(
            """
            import torch

            class Block(torch.nn.Module):
                def forward(self, x, conv_cache=None, added_kwargs=None):
                    conv_cache = conv_cache or {}  # None or a dict: a None check
                    added_kwargs = added_kwargs or {"scale": 1.0}
                    return x * added_kwargs["scale"], conv_cache
            """,
            target='Block(), (torch.randn(3),)',
        ),
        Valid(
            """
            import torch

            @torch.compile
            def both(x, y):
                z = x.any() & y.all()
                return x + z
            """,
            target="both, (torch.ones(4), torch.ones(4))",
        ),
        Valid(
            """
            import torch

            class Net(torch.nn.Module):
                def forward(self, x, mask=None):
                    use_mask = mask is not None and x.dim() == 2
                    keep = ~(x > 0)
                    return x * keep if use_mask else x
            """,
            target="Net(), (torch.ones(2, 2),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            @torch.compile
            def both(x, y):
                z = x.any() and y.all()
                return x + z
            """,
            line=5,
            target="both, (torch.ones(4), torch.ones(4))",
        ),
        Invalid(
            """
            import torch

            class Net(torch.nn.Module):
                def forward(self, x, y):
                    either = x.any() or y.any()
                    return x + either
            """,
            line=5,
            target="Net(), (torch.zeros(3), torch.ones(3))",
        ),
        Invalid(
            """
            import torch

            @torch.compile
            def negate(x):
                empty = not x.any()
                return x + empty
            """,
            line=5,
            target="negate, (torch.ones(4),)",
        ),
    ]

    def __init__(self, context) -> None:
        super().__init__(context)
        self._conditions: set = set()

    def _mark_condition(self, test: cst.BaseExpression) -> None:
        self._conditions.add(test)

    def visit_If(self, node: cst.If) -> None:
        self._mark_condition(node.test)

    def visit_While(self, node: cst.While) -> None:
        self._mark_condition(node.test)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._mark_condition(node.test)

    def visit_Assert(self, node: cst.Assert) -> None:
        self._mark_condition(node.test)

    def visit_CompIf(self, node: cst.CompIf) -> None:
        self._mark_condition(node.test)

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        if self.context.in_mod:
            return
        if node in self._conditions:
            self._conditions.update((node.left, node.right))
            return
        # as a value (`x = a or b`), only the left operand is tested: `b` is returned as it is
        if self._operand(node.left):
            self.report(node, op="and" if isinstance(node.operator, cst.And) else "or")

    def _operand(self, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, cst.Name):
            value = self.context.value(expr)
            if value.optional:
                return False  # `cache or {}` on `cache=None` (annotated or not): a None check
        return self.tensor(expr)

    def visit_UnaryOperation(self, node: cst.UnaryOperation) -> None:
        if not isinstance(node.operator, cst.Not) or self.context.in_mod:
            return
        if node in self._conditions:
            self._conditions.add(node.expression)
            return
        if self.tensor(node.expression):
            self.report(node, op="not")
