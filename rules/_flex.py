"""Helpers shared by the FlexAttention rules (CA2xx). No rules here; the FlexAttention API's names
are ``compile_audit.analysis.torchapi``'s."""

from __future__ import annotations

import libcst as cst

from compile_audit.analysis.walk import Visitor, walk

#: q, k, v of a small attention call, for the examples' targets
QKV = "(torch.randn(1, 2, 16, 16), torch.randn(1, 2, 16, 16), torch.randn(1, 2, 16, 16))"


def positional_params(node: cst.FunctionDef) -> tuple[int, bool]:
    """(number of positional parameters, whether it takes *args)."""
    params = node.params
    count = len(params.posonly_params) + len(params.params)
    return count, isinstance(params.star_arg, cst.Param)


def own_returns(node: cst.FunctionDef) -> list[cst.Return]:
    found: list[cst.Return] = []

    class Returns(Visitor):
        def visit_FunctionDef(self, inner: cst.FunctionDef) -> bool:
            return inner is node

        def visit_Lambda(self, inner: cst.Lambda) -> bool:
            return False

        def visit_Return(self, ret: cst.Return) -> None:
            found.append(ret)

    walk(node, Returns())
    return found


def is_bool_expr(expr: cst.BaseExpression) -> bool:
    """A boolean tensor expression: comparisons and their ``&``/``|``/``^``/``~``."""
    if isinstance(expr, cst.Comparison):
        return not any(isinstance(c.operator, (cst.Is, cst.IsNot, cst.In, cst.NotIn)) for c in expr.comparisons)
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, (cst.BitAnd, cst.BitOr, cst.BitXor)):
        return is_bool_expr(expr.left) or is_bool_expr(expr.right)
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.BitInvert):
        return is_bool_expr(expr.expression)
    return False


def is_literal(expr: cst.BaseExpression) -> bool:
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        expr = expr.expression
    if isinstance(expr, (cst.Integer, cst.Float)):
        return True
    return isinstance(expr, cst.Name) and expr.value in ("True", "False", "None")
