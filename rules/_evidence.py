"""Helpers for rules about values used where Python expects an integer (a slice bound, an index).

There the value model's weakest belief, an unannotated parameter of a compiled entry taken as a
Tensor, is not enough: a slice bound is normally a Python int, so the author's code is the
evidence that it is one. These helpers ask for more: the tensor must come out of a tensor
operation (``lengths.max()``, or a name assigned one: ``compile_audit.analysis.held`` says which).
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from compile_audit.analysis.held import single_definition

def computed_by_tensor_op(expr: cst.BaseExpression, func: Optional[cst.FunctionDef], depth: int = 0) -> bool:
    """Whether ``expr`` is the result of a method call (``lengths.max()``, ``x.sum(1).argmax()``),
    possibly through arithmetic or a name assigned once in ``func``; not a bare parameter."""
    if depth > 4:
        return False
    if isinstance(expr, cst.Call):
        return isinstance(expr.func, cst.Attribute)
    if isinstance(expr, cst.BinaryOperation):
        return computed_by_tensor_op(expr.left, func, depth + 1) or computed_by_tensor_op(expr.right, func, depth + 1)
    if isinstance(expr, cst.UnaryOperation):
        return computed_by_tensor_op(expr.expression, func, depth + 1)
    if isinstance(expr, cst.Name) and func is not None:
        value = single_definition(func, expr.value)
        return value is not None and computed_by_tensor_op(value, func, depth + 1)
    return False
