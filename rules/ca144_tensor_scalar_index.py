from typing import Optional

import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid
from compile_audit.analysis.held import single_definition

#: reductions that, called with no argument (no ``dim``), give a 0-d tensor
FULL_REDUCTIONS = frozenset({"argmax", "argmin", "max", "min", "amax", "amin", "sum", "nansum", "prod",
                             "count_nonzero", "median"})
#: on a boolean tensor these give a 0-d *boolean* tensor: indexing with it is a mask (CA111's)
KEEPS_BOOL = frozenset({"max", "min", "amax", "amin"})


class TensorScalarIndex(Rule):
    code = "CA144"
    name = "tensor-scalar-index"
    severity = "error"
    message = (
        "`{index}` is a 0-d tensor computed in compiled code and used as an integer index: Dynamo "
        "reads its value to pick the element (GB0033, 'Data dependent operator') and breaks the graph; "
        "`fullgraph=True` fails on it too"
    )
    what = (
        "Flags indexing a tensor with the result of a full reduction (`x[scores.argmax()]`, "
        "`x[:, torch.argmin(d)]`, `x[mask.sum()]`, or a name assigned one) inside compiled code."
    )
    why = (
        "Indexing with a 0-d integer tensor selects one position: PyTorch turns the index into a "
        "Python integer. For a tensor computed inside the graph Dynamo does not know that value, so "
        "in default mode it breaks the graph (GB0033) and under `fullgraph=True` tracing fails on "
        "the data-dependent index ('Could not extract specialized integer'). Indexing with a 1-d "
        "index tensor (`x[idx]`, `x[rows, logits.argmax(-1)]`) is advanced indexing and stays in "
        "the graph."
    )
    fix_safety = (
        "No automatic fix: keep the index 1-d (`x[i.unsqueeze(0)]`, `argmax(dim=0, keepdim=True)`) "
        "and squeeze the result, or use `x.index_select(0, i.view(1))` / `torch.gather`."
    )
    gb_codes = ("GB0033",)
    verdict = (
        "torch 2.13 and 2.14: breaks in default mode (GB0033). `fullgraph=True` fails at the same "
        "line without a GB code: 2.13 raises 'Could not extract specialized integer from "
        "data-dependent expression', 2.14 an internal Dynamo error. A 0-d tensor passed in as an "
        "argument is traced (only values computed in the graph break), so the rule flags full "
        "reductions only."
    )
    VALID = [
        Valid(
            """
            import torch

            @torch.compile
            def pool(hidden, input_ids):
                rows = torch.arange(hidden.shape[0])
                return hidden[rows, input_ids.argmax(dim=-1)]  # 1-d index: advanced indexing
            """,
            target="pool, (torch.randn(2, 5, 4), torch.tensor([[1, 4, 2, 0, 0], [3, 1, 0, 0, 0]]))",
        ),
        Valid(
            """
            import torch

            @torch.compile
            def best_row(x, scores):
                i = scores.argmax()
                return x.index_select(0, i.view(1))
            """,
            target="best_row, (torch.randn(6, 4), torch.randn(6))",
        ),
        Valid(
            """
            import torch

            class Select(torch.nn.Module):
                def forward(self, x, index):
                    return x[index]  # an input tensor of indices
            """,
            target="Select(), (torch.randn(6, 4), torch.tensor(2))",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            @torch.compile
            def best_row(x, scores):
                return x[scores.argmax()]
            """,
            line=5,
            target="best_row, (torch.randn(6, 4), torch.randn(6))",
        ),
        Invalid(
            """
            import torch

            class Nearest(torch.nn.Module):
                def forward(self, x, codebook):
                    dist = (codebook - x).norm(dim=-1)
                    best = torch.argmin(dist)
                    return codebook[best]
            """,
            line=7,
            target="Nearest(), (torch.randn(4), torch.randn(8, 4))",
        ),
        Invalid(
            """
            import torch

            @torch.compile
            def last_valid(x, mask):
                return x[:, mask.sum() - 1]
            """,
            line=5,
            target="last_valid, (torch.randn(2, 6), torch.tensor([True, True, True, False, False, False]))",
        ),
    ]

    def visit_Subscript(self, node: cst.Subscript) -> None:
        parent = self.context.ancestors[-2] if len(self.context.ancestors) > 1 else None
        if isinstance(parent, (cst.AssignTarget, cst.AugAssign, cst.Del)):
            return  # stores: `y[i] = v` (torch 2.14 captures it under fullgraph=True)
        if not self.tensor(node.value):
            return
        for element in node.slice:
            if isinstance(element.slice, cst.Index) and self._scalar(element.slice.value, 0):
                index = element.slice.value
                self.report(node, index=self.source(index), evidence=self.context.tensor(index))
                return

    def _scalar(self, expr: cst.BaseExpression, depth: int) -> bool:
        """A 0-d integer tensor computed in the graph: a full reduction, an integer offset of
        one, or a name assigned one (once) in this function."""
        if depth > 3:
            return False
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, (cst.Add, cst.Subtract)):
            left, right = expr.left, expr.right
            if isinstance(right, cst.Integer):
                return self._scalar(left, depth + 1)
            if isinstance(left, cst.Integer):
                return self._scalar(right, depth + 1)
            return False
        if isinstance(expr, cst.Name):
            func = self.context.current_function
            if func is None or not self.context.is_tensor(expr):
                return False
            value = single_definition(func.node, expr.value)
            return value is not None and self._scalar(value, depth + 1)
        if isinstance(expr, cst.Call):
            return self._full_reduction(expr)
        return False

    def _full_reduction(self, call: cst.Call) -> bool:
        func = call.func
        qualified = self.qualified_name(func)
        if qualified is not None and qualified.startswith("torch.") and qualified.count(".") == 1:
            method = qualified.split(".")[1]
            if method not in FULL_REDUCTIONS or len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star:
                return False
            operand: Optional[cst.BaseExpression] = call.args[0].value
        elif isinstance(func, cst.Attribute) and func.attr.value in FULL_REDUCTIONS and not call.args:
            method = func.attr.value
            operand = func.value
        else:
            return False
        value = self.context.tensor(operand)
        if value is None:
            return False
        return not (value.boolean and method in KEEPS_BOOL)
