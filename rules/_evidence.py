"""Helpers for rules about values used where Python expects an integer (a slice bound, an index).

There the value model's weakest belief, an unannotated parameter of a compiled entry taken as a
Tensor, is not enough: a slice bound is normally a Python int, so the author's code is the
evidence that it is one. These helpers ask for more: the tensor must come out of a tensor
operation (``lengths.max()``, or a name assigned one).
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from compile_audit.analysis.walk import children

#: nodes whose bindings are their own (a nested function's, a lambda's, a comprehension's)
_OWN_SCOPE = (cst.FunctionDef, cst.ClassDef, cst.Lambda, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


def single_definition(func: cst.FunctionDef, name: str) -> Optional[cst.BaseExpression]:
    """The value of ``name = <value>`` when that is the only binding of ``name`` in ``func``
    (not a parameter, no other assignment, loop target, ``with ... as``, walrus, import)."""
    params = func.params
    every = list(params.posonly_params) + list(params.params) + list(params.kwonly_params)
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            every.append(star)
    if any(p.name.value == name for p in every):
        return None
    found: list = []
    stack = list(children(func.body))
    while stack:
        node = stack.pop()
        if isinstance(node, _OWN_SCOPE):
            if isinstance(node, (cst.FunctionDef, cst.ClassDef)) and node.name.value == name:
                found.append(None)
            continue
        if isinstance(node, cst.Assign):
            for target in node.targets:
                if _binds(target.target, name):
                    single = len(node.targets) == 1 and isinstance(target.target, cst.Name)
                    found.append(node.value if single else None)
        elif isinstance(node, (cst.AnnAssign, cst.AugAssign)):
            if _binds(node.target, name):
                found.append(node.value if isinstance(node, cst.AnnAssign) and node.value is not None else None)
        elif isinstance(node, (cst.For, cst.CompFor)):
            if _binds(node.target, name):
                found.append(None)
        elif isinstance(node, cst.AsName):
            if _binds(node.name, name):
                found.append(None)
        elif isinstance(node, cst.NamedExpr):
            if _binds(node.target, name):
                found.append(None)
        elif isinstance(node, (cst.Global, cst.Nonlocal)):
            if any(n.name.value == name for n in node.names):
                found.append(None)
        stack.extend(children(node))
    return found[0] if len(found) == 1 else None


def _binds(target: cst.CSTNode, name: str) -> bool:
    if isinstance(target, cst.Name):
        return target.value == name
    if isinstance(target, (cst.Tuple, cst.List)):
        return any(_binds(e.value, name) for e in target.elements)
    if isinstance(target, cst.StarredElement):
        return _binds(target.value, name)
    return False


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
