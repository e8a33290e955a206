"""A fast, read-only traversal of libcst trees.

libcst's own ``visit`` rebuilds every node on the way back up (it serves transformers too), which
costs more than parsing. compile-audit's passes only read the tree, so they walk the dataclass
fields directly, skipping whitespace, comments and punctuation, and dispatch to ``visit_<Node>``
and ``leave_<Node>`` methods the way ``libcst.CSTVisitor`` does (a ``visit_`` method returning
``False`` skips the children). Children come in source order.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

import libcst as cst

_TRIVIA = frozenset(
    {
        "leading_lines", "lines_after_decorators", "lpar", "rpar", "comma", "semicolon", "header",
        "footer", "trailing_whitespace", "newline", "colon", "equal", "lbracket", "rbracket",
        "lbrace", "rbrace", "dot", "operator", "star", "asynchronous", "indent", "default_indent",
        "default_newline", "encoding", "has_trailing_newline", "first_line", "empty_lines",
    }
)
# fields in source order where the dataclass order differs
_ORDER = {
    cst.FunctionDef: ("decorators", "name", "params", "returns", "body"),
    cst.ClassDef: ("decorators", "name", "bases", "keywords", "body"),
}
_FIELDS: dict[type, tuple[str, ...]] = {}
# type -> 1 for CSTNode subclasses, 2 for sequences, 0 for anything else (CSTNode is an ABC, and
# isinstance() against it is slow enough to matter on every field of every node)
_KIND: dict[type, int] = {tuple: 2, list: 2, str: 0, type(None): 0, bool: 0}


def _kind(value) -> int:
    kind = _KIND.get(type(value))
    if kind is None:
        kind = 1 if isinstance(value, cst.CSTNode) else 2 if isinstance(value, (tuple, list)) else 0
        _KIND[type(value)] = kind
    return kind


def child_fields(kind: type) -> tuple[str, ...]:
    fields = _FIELDS.get(kind)
    if fields is None:
        if kind in _ORDER:
            fields = _ORDER[kind]
        else:
            fields = tuple(
                f.name for f in dataclasses.fields(kind)
                if f.name not in _TRIVIA and not f.name.startswith("whitespace")
            )
        _FIELDS[kind] = fields
    return fields


def children(node: cst.CSTNode):
    """The child nodes of ``node`` that matter to a reader, in source order."""
    for name in child_fields(type(node)):
        value = getattr(node, name)
        kind = _kind(value)
        if kind == 1:
            yield value
        elif kind == 2:
            for item in value:
                if _kind(item) == 1:
                    yield item


def descendants(node: cst.CSTNode):
    """``node`` and everything below it, depth first."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(children(current))))


class Visitor:
    """Base class: ``visit_<Node>`` / ``leave_<Node>`` methods, and the ``on_*`` hooks."""

    _table: dict

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        cls._table = {}

    def _methods(self, kind: type) -> tuple[Callable | None, Callable | None]:
        table = type(self)._table
        entry = table.get(kind)
        if entry is None:
            name = kind.__name__
            entry = (getattr(type(self), f"visit_{name}", None), getattr(type(self), f"leave_{name}", None))
            table[kind] = entry
        return entry

    def on_visit(self, node: cst.CSTNode) -> bool:
        visit, _ = self._methods(type(node))
        return visit is None or visit(self, node) is not False

    def on_leave(self, node: cst.CSTNode) -> None:
        _, leave = self._methods(type(node))
        if leave is not None:
            leave(self, node)

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        pass

    def on_leave_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        pass


_ATTRIBUTE_HOOKS = (cst.If, cst.For, cst.While, cst.BooleanOperation, cst.IfExp, cst.Assert)


def walk(node: cst.CSTNode, visitor: Visitor) -> None:
    """Depth-first, source-order traversal calling the visitor's hooks (recursive: Python's
    own recursion limit is the parser's, so any tree libcst built can be walked)."""
    if not visitor.on_visit(node):
        visitor.on_leave(node)
        return
    hooks = type(node) in _ATTRIBUTE_HOOKS
    kinds = _KIND
    for name in child_fields(type(node)):
        value = getattr(node, name)
        if hooks:
            visitor.on_visit_attribute(node, name)
        kind = kinds.get(type(value)) or _kind(value)
        if kind == 1:
            walk(value, visitor)
        elif kind == 2:
            for item in value:
                if (kinds.get(type(item)) or _kind(item)) == 1:
                    walk(item, visitor)
        if hooks:
            visitor.on_leave_attribute(node, name)
    visitor.on_leave(node)


_NEW_SCOPES = frozenset({cst.Lambda, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp})


def shallow_nodes(expr: cst.CSTNode, kind: type):
    """Nodes of ``kind`` in an expression, not looking into lambdas or comprehensions."""
    # a concrete node class has no subclasses: compare types (isinstance against libcst's ABCs
    # is slow, and this runs over every expression the value model reads)
    exact = kind if not kind.__subclasses__() else None
    stack = [expr]
    while stack:
        node = stack.pop()
        if type(node) is exact if exact is not None else isinstance(node, kind):
            yield node
        if type(node) in _NEW_SCOPES:
            continue
        stack.extend(reversed(list(children(node))))
