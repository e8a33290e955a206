"""Type descriptors: what a return annotation promises, as JSON-able data the project index keeps.

``["tensor"]`` (``["tensor", "optional"]``), ``["number"]``, ``["str"]``, ``["none"]``,
``["container", elem, key, items]``, ``["union", options]``, ``["logger"]`` (a ``logging.Logger``:
what a project's ``get_logger`` wrapper returns), ``["unknown"]``. The value model
reads them back (``compile_audit.analysis.lattice.from_descriptor``).

This module imports no other module of the package.
"""

from __future__ import annotations

import ast
from typing import Callable, Mapping, Optional

BUILTIN_TYPES = frozenset({"int", "float", "bool", "str", "list", "tuple", "dict", "set"})
CONTAINERS = frozenset({"list", "tuple", "dict", "set", "List", "Tuple", "Dict", "Set", "Sequence", "Mapping"})


def union(options: list[list]) -> list:
    real = [o for o in options if o[0] != "none"]
    if real and all(o[0] == real[0][0] for o in real) and real[0][0] in ("tensor", "number", "str"):
        return real[0] + (["optional"] if len(real) < len(options) and real[0][0] == "tensor" else [])
    return ["union", options]


def describe(ann: ast.expr, qualify: Callable[[ast.expr], Optional[str]], imports: Mapping[str, str], depth: int = 0) -> list:
    """A return annotation as a type descriptor (see ``ProjectIndex.returns``); ``qualify`` gives
    the qualified name of a name as the file writes it, ``imports`` the file's imported names."""
    if depth > 6:
        return ["unknown"]
    if isinstance(ann, ast.Constant) and isinstance(ann.value, str):
        try:
            ann = ast.parse(ann.value, mode="eval").body
        except SyntaxError:
            return ["unknown"]
    if isinstance(ann, ast.Constant) and ann.value is None:
        return ["none"]
    if isinstance(ann, ast.BinOp) and isinstance(ann.op, ast.BitOr):
        return union([describe(ann.left, qualify, imports, depth + 1), describe(ann.right, qualify, imports, depth + 1)])
    base = ann.value if isinstance(ann, ast.Subscript) else ann
    name = base.id if isinstance(base, ast.Name) else None
    qn = "builtins." + name if name in BUILTIN_TYPES and name not in imports else qualify(base)
    if qn is None:
        return ["unknown"]
    short = qn.rsplit(".", 1)[-1]
    if qn in ("torch.Tensor", "torch.nn.Parameter", "torch.FloatTensor", "torch.LongTensor", "torch.BoolTensor"):
        return ["tensor"]
    if qn in ("builtins.int", "builtins.float", "builtins.bool"):
        return ["number"]
    if qn == "builtins.str":
        return ["str"]
    if qn in ("logging.Logger", "logging.LoggerAdapter"):
        return ["logger"]
    if not isinstance(ann, ast.Subscript):
        return ["container", None, None, None] if short in CONTAINERS else ["unknown"]
    inner = ann.slice
    args = list(inner.elts) if isinstance(inner, ast.Tuple) else [inner]
    if short == "Optional":
        return union([describe(args[0], qualify, imports, depth + 1), ["none"]])
    if short == "Union":
        return union([describe(a, qualify, imports, depth + 1) for a in args])
    if short in ("tuple", "Tuple"):
        if len(args) == 2 and isinstance(args[1], ast.Constant) and args[1].value is Ellipsis:
            return ["container", describe(args[0], qualify, imports, depth + 1), None, None]
        return ["container", None, None, [describe(a, qualify, imports, depth + 1) for a in args]]
    if short in ("list", "List", "Sequence", "Iterable", "Iterator", "set", "Set"):
        return ["container", describe(args[0], qualify, imports, depth + 1), None, None]
    if short in ("dict", "Dict", "Mapping", "OrderedDict") and len(args) == 2:
        return ["container", describe(args[1], qualify, imports, depth + 1), describe(args[0], qualify, imports, depth + 1), None]
    return ["unknown"]
