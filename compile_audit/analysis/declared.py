"""What a type annotation promises, as a value of the value model (``Tensor``, ``Optional[Tensor]``,
``int``, ``tuple[Tensor, ...]``, ``dict[str, Tensor]`` ...)."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Optional

import libcst as cst

from compile_audit.analysis.lattice import NONE, NUMBER, OBJECT, STR, UNKNOWN, Value


def annotation_value(ann: cst.BaseExpression, resolve: Callable[[cst.BaseExpression], Optional[str]]) -> Value:
    """The value an annotation promises. Only what it says for certain: ``Tensor``,
    ``Optional[Tensor]``, ``int``, ``tuple[Tensor, ...]``, ``dict[str, Tensor]`` (a dict,
    whose *values* are tensors) ...; ``resolve`` gives the qualified name of a name."""
    if isinstance(ann, cst.SimpleString):
        try:
            ann = cst.parse_expression(ann.evaluated_value)  # type: ignore[arg-type]
        except Exception:
            return UNKNOWN
    if isinstance(ann, cst.BinaryOperation) and isinstance(ann.operator, cst.BitOr):
        left, right = annotation_value(ann.left, resolve), annotation_value(ann.right, resolve)
        if left.kind == "none":
            return replace(right, optional=True) if right.kind == "tensor" else right
        if right.kind == "none":
            return replace(left, optional=True) if left.kind == "tensor" else left
        if left.kind == right.kind and left.kind != "container":
            return left
        return Value("unknown", options=(left, right))
    if isinstance(ann, cst.Name) and ann.value == "None":
        return NONE
    qn = resolve(ann.value if isinstance(ann, cst.Subscript) else ann)
    if qn is None:
        return UNKNOWN
    short = qn.rsplit(".", 1)[-1]
    if qn in ("torch.Tensor", "torch.nn.Parameter", "torch.nn.parameter.Parameter", "torch.FloatTensor",
              "torch.LongTensor", "torch.BoolTensor"):
        return Value("tensor", boolean=qn == "torch.BoolTensor")
    if qn in ("builtins.int", "builtins.float", "builtins.bool", "builtins.complex", "torch.SymInt"):
        return NUMBER
    if qn == "builtins.str":
        return STR
    if qn in ("torch.Size",):
        return Value("shape")
    if qn in ("torch.dtype", "torch.device"):
        return OBJECT
    if not isinstance(ann, cst.Subscript):
        if short in ("list", "tuple", "dict", "set", "List", "Tuple", "Dict", "Set", "Sequence", "Mapping"):
            return Value("container")
        return UNKNOWN
    args = [e.slice.value for e in ann.slice if isinstance(e.slice, cst.Index)]
    if short == "Optional" and len(args) == 1:
        inner = annotation_value(args[0], resolve)
        return replace(inner, optional=True) if inner.kind == "tensor" else inner
    if short == "Union":
        values = [annotation_value(a, resolve) for a in args]
        real = [v for v in values if v.kind != "none"]
        if real and all(v.kind == real[0].kind for v in real) and real[0].kind != "container":
            return replace(real[0], optional=len(real) < len(values)) if real[0].kind == "tensor" else real[0]
        return Value("unknown", options=tuple(values))
    if short in ("list", "List", "Sequence", "set", "Set", "Iterable", "Iterator"):
        return Value("container", elem=annotation_value(args[0], resolve) if args else None)
    if short in ("tuple", "Tuple"):
        if len(args) == 2 and isinstance(args[1], cst.Ellipsis):
            return Value("container", elem=annotation_value(args[0], resolve))
        items = tuple(annotation_value(a, resolve) for a in args)
        return Value("container", items=items)
    if short in ("dict", "Dict", "Mapping", "MutableMapping", "OrderedDict"):
        if len(args) == 2:
            return Value("container", key=annotation_value(args[0], resolve), elem=annotation_value(args[1], resolve))
        return Value("container")
    return UNKNOWN
