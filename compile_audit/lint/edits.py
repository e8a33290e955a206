"""The vocabulary rules use to describe a fix: an ``Edit`` and the helpers that build common ones.

A rule reports ``fix=Edit(safe, {original_node: replacement})``. Replacements are libcst nodes,
``cst.RemoveFromParent()`` or ``cst.FlattenSentinel([...])``, keyed by nodes of the module the
engine parsed. Applying edits to files is the fix driver's business (``compile_audit.lint.fix``),
which sits above the engine; this module depends on libcst alone, so that rules describe fixes
without reaching up to the code that applies them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Protocol, Union

import libcst as cst

Replacement = Union[cst.CSTNode, cst.RemovalSentinel, cst.FlattenSentinel]


class EditContext(Protocol):
    """What the helpers read of the file being linted (``compile_audit.lint.context.FileContext``)."""

    def torch_name(self) -> Optional[str]: ...

    def enclosing(self, kind: type) -> Optional[cst.CSTNode]: ...


@dataclass(eq=False)
class Edit:
    """A codemod: which nodes of the parsed module to replace, and whether the program
    certainly means the same afterwards (``safe``) or only probably (unsafe, as ruff says)."""

    safe: bool
    replacements: dict = field(default_factory=dict)


def guard_statement(context: EditContext, node: cst.CSTNode) -> Optional[Edit]:
    """An unsafe edit that keeps the statement holding ``node`` for eager runs only:
    ``if not torch.compiler.is_compiling(): <statement>``. None when the statement is not a
    line of its own or torch is not imported as a name."""
    torch = context.torch_name()
    statement = context.enclosing(cst.SimpleStatementLine)
    if torch is None or statement is None or len(statement.body) != 1:
        return None
    guarded = cst.If(
        test=cst.parse_expression(f"not {torch}.compiler.is_compiling()"),
        body=cst.IndentedBlock(body=[statement.with_changes(leading_lines=[])]),
        leading_lines=statement.leading_lines,
    )
    return Edit(safe=False, replacements={statement: guarded})


def remove_statement(context: EditContext, safe: bool = False) -> Optional[Edit]:
    statement = context.enclosing(cst.SimpleStatementLine)
    if statement is None or len(statement.body) != 1:
        return None
    return Edit(safe=safe, replacements={statement: cst.RemoveFromParent()})


def parenthesize(expr: cst.BaseExpression) -> cst.BaseExpression:
    if isinstance(expr, (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.Integer, cst.Float)) or expr.lpar:
        return expr
    return expr.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
