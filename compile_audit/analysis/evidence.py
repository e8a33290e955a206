"""The evidence a finding's message shows: why the value model believes what it does.

``Why`` and ``code`` render source text only when a message needs it; ``describe`` turns a
Tensor value into the sentence a finding carries ("`mask` holds a Tensor: assigned `x.ne(0)` at
line 41").

This module imports no other module of the package.
"""

from __future__ import annotations

import libcst as cst


def describe(value, positions, at_line: int) -> str:
    """The belief a finding rests on, for its message: "`mask` holds a Tensor: assigned
    `x.ne(0)` at line 41"."""
    where = positions.get(value.node) if value.node is not None else None
    line = f" at line {where.start.line}" if where is not None and where.start.line != at_line else ""
    if value.subject:
        return f"`{value.subject}` holds a Tensor: {value.why or 'a tensor expression'}{line}"
    return f"{value.why or 'a tensor expression'}{line}"


class code:  # noqa: N801 - used like a function: code(node) in an f-string
    """The source of a node, shortened, rendered only when a message needs it (generating code
    for every assignment the value model explains would cost more than the analysis)."""

    __slots__ = ("node", "limit")
    _empty = cst.Module(body=[])

    def __init__(self, node: cst.CSTNode, limit: int = 40) -> None:
        self.node = node
        self.limit = limit

    def __str__(self) -> str:
        text = " ".join(self._empty.code_for_node(self.node).strip().split())
        return text if len(text) <= self.limit else text[: self.limit - 3] + "..."

    __format__ = lambda self, spec: format(str(self), spec)  # noqa: E731

    def __eq__(self, other: object) -> bool:
        return isinstance(other, code) and other.node is self.node

    def __hash__(self) -> int:
        return id(self.node)


class Why:
    """A reason with placeholders for source code, rendered lazily: ``Why("assigned `{}`", expr)``."""

    __slots__ = ("template", "parts")

    def __init__(self, template: str, *parts: object) -> None:
        self.template = template
        self.parts = parts

    def __str__(self) -> str:
        return self.template.format(*(str(p) for p in self.parts))

    def __contains__(self, text: str) -> bool:
        return text in str(self)

    def __bool__(self) -> bool:
        return True

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Why):
            return self.template == other.template and self.parts == other.parts
        return isinstance(other, str) and str(self) == other

    def __hash__(self) -> int:
        return hash(self.template)
