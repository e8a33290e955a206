"""The values the value model tracks, and how they meet where paths join.

A :class:`Value` is what one name holds on one path: a Tensor, a Python number or bool, a
string, ``None``, a container, a ``torch.Size``, a layer, a function, some other known object,
or *unknown*. ``join`` gives what a name holds where two paths meet; an environment (``Env``)
maps names to values, and ``Flow`` records, for one function, the environment before each
statement and what its ``return`` statements give.

This module imports no other module of the package.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, Optional

import libcst as cst


@dataclass(frozen=True)
class Value:
    #: tensor, number, str, none, container, shape, module, function, object, unknown
    kind: str = "unknown"
    #: why the model believes it (for tensors: the evidence shown in findings)
    why: str = ""
    #: the node the evidence points at (its line is shown)
    node: Optional[cst.CSTNode] = None
    #: the name the belief is about
    subject: Optional[str] = None
    #: containers: the element (or the value, for dicts), the key, the fixed items of a tuple
    elem: Optional["Value"] = None
    key: Optional["Value"] = None
    items: Optional[tuple["Value", ...]] = None
    #: tensors: a boolean tensor (a comparison, a mask)
    boolean: bool = False
    #: tensors: may also be None (``Optional[Tensor]``, a None default)
    optional: bool = False
    #: tensors: the call that produced the value, when it was assigned straight from one whose
    #: result is certainly a Tensor (torch functions and methods, torch.nn layers)
    producer: Optional[cst.Call] = None
    #: modules: the qualified name of the layer's class (``torch.nn.Linear``) or a ClassInfo
    layer: object = None
    #: an assumption rather than a fact (an unannotated parameter taken as a Tensor)
    assumed: bool = False
    #: known from torch's own signatures (a torch function, a tensor method, a torch.nn layer)
    certain: bool = False
    #: unknown values from a ``Union[...]`` annotation: the alternatives, for ``isinstance``
    options: Optional[tuple["Value", ...]] = None
    #: a Python constant known on this path ("True", "False"): a flag a caller passes
    literal: Optional[str] = None
    #: tensors: an accumulator (``total = 0.0`` then ``total += t``): it stays a Tensor where the
    #: path that never added to it meets one that did (the loop over layers runs)
    accumulated: bool = False

    @property
    def is_tensor(self) -> bool:
        return self.kind == "tensor"


UNKNOWN = Value()
#: what a test told of the object's state: ``self.merged`` is true / false on this path
TRUTHY = Value("truth", why="true")
FALSY = Value("truth", why="false")
NUMBER = Value("number")
STR = Value("str")
NONE = Value("none")
OBJECT = Value("object")

Env = dict


def join(a: Optional[Value], b: Optional[Value]) -> Optional[Value]:
    """The value a name holds where two paths meet (None: the path does not reach here)."""
    if a is None:
        return b
    if b is None or a is b:
        return a
    if a.kind == "truth" or b.kind == "truth":
        return UNKNOWN  # true on one path, false on the other
    if a.kind == b.kind:
        if a.kind == "tensor":
            if a.producer is not None and b.producer is not None and a.producer is not b.producer:
                a = replace(a, producer=None)
            return replace(a, boolean=a.boolean and b.boolean, optional=a.optional or b.optional,
                           assumed=a.assumed and b.assumed, producer=a.producer if b.producer is a.producer else None)
        if a.kind == "container":
            items = a.items if a.items is not None and b.items is not None and len(a.items) == len(b.items) else None
            if items is not None:
                items = tuple(join(x, y) or UNKNOWN for x, y in zip(a.items, b.items))  # type: ignore[arg-type]
            return Value("container", elem=join_optional(a.elem, b.elem), key=join_optional(a.key, b.key), items=items)
        if a.kind == "module" and a.layer is not b.layer:
            return Value("module")
        if a.literal != b.literal:
            return replace(a, literal=None)
        return a
    if {a.kind, b.kind} == {"tensor", "number"}:
        tensor = a if a.kind == "tensor" else b
        return tensor if tensor.accumulated else UNKNOWN
    if a.kind == "none" and b.kind in ("tensor", "number", "str", "container", "object", "module"):
        return replace(b, optional=True) if b.kind == "tensor" else b
    if b.kind == "none" and a.kind in ("tensor", "number", "str", "container", "object", "module"):
        return replace(a, optional=True) if a.kind == "tensor" else a
    return UNKNOWN


def join_optional(a: Optional[Value], b: Optional[Value]) -> Optional[Value]:
    if a is None or b is None:
        return None
    return join(a, b)


def join_envs(envs: Iterable[Optional[Env]]) -> Optional[Env]:
    live = [e for e in envs if e is not None]
    if not live:
        return None
    if len(live) == 1:
        return dict(live[0])
    names = set().union(*live)
    out: Env = {}
    for name in names:
        value: Optional[Value] = None
        missing = False
        for env in live:
            if name in env:
                value = join(value, env[name]) if value is not None else env[name]
            else:
                missing = True
        # bound on one path only: whatever it held before (unknown to us) on the other
        out[name] = UNKNOWN if missing and value is not None and value.kind != "tensor" else (value or UNKNOWN)
        if missing and value is not None and value.kind == "tensor":
            out[name] = value
    return out


def from_descriptor(d: Optional[list]) -> Value:
    """A value from a project index type descriptor (``compile_audit.analysis.project``)."""
    if not d:
        return UNKNOWN
    kind = d[0]
    if kind == "tensor":
        return Value("tensor", optional="optional" in d[1:])
    if kind in ("number", "str", "none"):
        return Value(kind)
    if kind == "container":
        elem, key, items = d[1], d[2], d[3]
        return Value("container", elem=from_descriptor(elem) if elem else None, key=from_descriptor(key) if key else None,
                     items=tuple(from_descriptor(i) for i in items) if items is not None else None)
    if kind == "union":
        options = tuple(from_descriptor(o) for o in d[1])
        real = [o for o in options if o.kind != "none"]
        if len(real) == 1:
            return replace(real[0], optional=True) if real[0].kind == "tensor" else real[0]
        return Value("unknown", options=options)
    return UNKNOWN


class Flow:
    """One function, executed abstractly: the environment before each statement, and the
    values its ``return`` statements give."""

    def __init__(self) -> None:
        self.before: dict[cst.CSTNode, Env] = {}
        self.returns: Optional[Value] = None
        self.returned = False
        #: the environment at each nested def (what a closure captures)
        self.at_def: dict[cst.FunctionDef, Env] = {}
        #: (call, callee ``FunctionInfo``, argument values) for calls to the file's own functions
        self.calls: list[tuple[cst.Call, object, list[tuple[str, Value]]]] = []


def element_of(value: Value) -> Value:
    """What iterating over (or unpacking) a value gives."""
    if value.kind == "tensor":
        return replace(value, producer=None, optional=False, why=value.why)
    if value.kind == "container":
        if value.key is not None:
            return value.key
        if value.elem is not None:
            return value.elem
        if value.items:
            joined: Optional[Value] = None
            for item in value.items:
                joined = join(joined, item) if joined is not None else item
            return joined or UNKNOWN
    if value.kind == "shape":
        return NUMBER
    if value.kind == "str":
        return STR
    return UNKNOWN
