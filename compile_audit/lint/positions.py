"""Where reported nodes are (libcst ``CodeRange``s), at the cost of the statements that hold them.

libcst's ``PositionProvider`` generates the code of whatever it is given, so its cost is the size
of that. Over the whole module it costs as much as the rest of the lint together; over a top-level
statement it still costs the whole class a finding sits in (a 300-line attention layer). So a
reported node is placed through the innermost simple statement line that holds it (``x = t.item()``)
or the header of the compound statement it is in (``if t.sum() > 0:``): that statement alone is
generated, and its positions are shifted to where CPython's ``ast`` says it starts. The libcst
statement is matched to its ``ast`` statement by walking both trees' statement lists side by side
from the module down the reported node's ancestors; where the two do not line up, the top-level
statement is generated instead, and where even those do not line up, the whole module.
"""

from __future__ import annotations

import ast
from typing import Optional

import libcst as cst
from libcst.metadata import CodePosition, CodeRange, MetadataWrapper, PositionProvider

#: libcst compound statements -> the ``ast`` classes they parse to
_COMPOUND = {
    cst.FunctionDef: (ast.FunctionDef, ast.AsyncFunctionDef), cst.ClassDef: (ast.ClassDef,),
    cst.If: (ast.If,), cst.For: (ast.For, ast.AsyncFor), cst.While: (ast.While,),
    cst.With: (ast.With, ast.AsyncWith), cst.Try: (ast.Try,),
}
#: a compound statement's header without its blocks: what is generated to place a node in it
_HEADER_ONLY = {"body": cst.IndentedBlock(body=[cst.SimpleStatementLine(body=[cst.Pass()])])}


class Positions:
    """``positions[node]``: the range of a node; ``paths`` maps a reported node's id to its
    ancestors, the module first and the node last (``FileContext.report`` records them)."""

    def __init__(self, module: cst.Module, text: str, paths: dict) -> None:
        self.module, self.paths = module, paths
        self.maps: dict[int, dict] = {}
        self.full: Optional[dict] = None
        try:
            self.tree: Optional[ast.Module] = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            self.tree = None
        self.starts = _top_level_starts(module, self.tree)
        self.index = {id(statement): i for i, statement in enumerate(module.body)}
        self.inner: dict[int, dict] = {}

    def _whole(self) -> dict:
        if self.full is None:
            self.full = dict(MetadataWrapper(self.module, unsafe_skip_copy=True).resolve(PositionProvider))
        return self.full

    def _generated(self, statement: cst.CSTNode, alone: cst.CSTNode, line: int, blocks: tuple = ()) -> dict:
        """The positions of ``alone`` (``statement`` without its leading lines, or its header)
        generated in a module of its own and moved to start at ``line``. It is generated inside
        one ``if _:`` per block around it (``blocks``, outermost first, with their own indents),
        so that its lines, continuation lines too, are indented as in the file."""
        inner: cst.CSTNode = alone
        for block in reversed(blocks):
            inner = cst.If(test=cst.Name("_"), body=cst.IndentedBlock(body=[inner], indent=block.indent))
        mini = self.module.with_changes(header=(), footer=(), body=[inner])
        shift = line - 1 - len(blocks)
        found = {}
        for node, where in MetadataWrapper(mini, unsafe_skip_copy=True).resolve(PositionProvider).items():
            found[statement if node is alone else node] = CodeRange(
                CodePosition(where.start.line + shift, where.start.column),
                CodePosition(where.end.line + shift, where.end.column))
        return found

    def _statement(self, i: int) -> dict:
        if i not in self.maps:
            original = self.module.body[i]
            self.maps[i] = self._generated(original, original.with_changes(leading_lines=()), self.starts[i])
        return self.maps[i]

    def _innermost(self, node, path: tuple) -> Optional[dict]:
        """The positions of the innermost statement (or compound header) around ``node``."""
        if self.tree is None:
            return None
        last = len(path) - 1 if path[-1] is not node else len(path) - 2  # a rule may report a child
        for depth in range(last, 0, -1):
            holder = path[depth]
            if isinstance(holder, cst.SimpleStatementLine):
                alone = holder.with_changes(leading_lines=())
            elif (type(holder) in _COMPOUND and type(holder) is not cst.Try and depth + 1 < len(path)
                  and path[depth + 1] is not holder.body and path[depth + 1] is not getattr(holder, "orelse", None)):
                alone = holder.with_changes(leading_lines=(), **_HEADER_ONLY,
                                            **({"orelse": None} if hasattr(holder, "orelse") else {}))
            else:
                continue
            if id(holder) not in self.inner:
                start = _ast_statement(path[: depth + 1], self.tree)
                blocks = tuple(n for n in path[1:depth] if isinstance(n, cst.IndentedBlock))
                self.inner[id(holder)] = self._generated(holder, alone, start, blocks) if start is not None else {}
            return self.inner[id(holder)] or None
        return None

    def get(self, node, default=None):
        path = self.paths.get(id(node))
        if path is not None:
            found = self._innermost(node, path)
            if found is not None and node in found:
                return found[node]
        if self.starts is None:
            return self._whole().get(node, default)
        top = path[1] if path is not None and len(path) > 1 else None
        order = [self.index[id(top)]] if top is not None and id(top) in self.index else []
        for i in order + sorted(self.maps):
            if node in self._statement(i):
                return self.maps[i][node]
        for i in range(len(self.module.body)):
            if i not in self.maps and node in self._statement(i):
                return self.maps[i][node]
        return default

    def __getitem__(self, node):
        where = self.get(node)
        if where is None:
            raise KeyError(node)
        return where


def _first_line(statement: ast.stmt) -> int:
    return min([statement.lineno, *(d.lineno for d in getattr(statement, "decorator_list", ()))])


def _top_level_starts(module: cst.Module, tree: Optional[ast.Module]) -> Optional[list[int]]:
    """The first line of each of ``module``'s top-level statements (its first decorator's for a
    decorated definition), from CPython's ``ast``; None when the two do not line up."""
    if tree is None:
        return None
    body = tree.body
    starts, j = [], 0
    for statement in module.body:
        if j >= len(body):
            return None
        starts.append(_first_line(body[j]))
        j += len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
    return starts if j == len(body) else None


def _ast_statement(path: tuple, tree: ast.Module) -> Optional[int]:
    """The line where the last node of ``path`` (a libcst statement, its ancestors before it
    from the module) starts, from the ``ast`` statement it parses to; None when the statement
    lists do not line up."""
    statements, nodes = path[0].body, tree.body
    i = 1
    while i < len(path):
        target = path[i]
        j = 0
        for statement in statements:  # the ast statement the libcst one starts at
            if statement is target:
                break
            j += len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
        else:
            return None
        if j >= len(nodes):
            return None
        found = nodes[j]
        if i == len(path) - 1:
            if isinstance(target, cst.SimpleStatementLine) or isinstance(found, _COMPOUND.get(type(target), ())):
                return _first_line(found)
            return None
        if not isinstance(found, _COMPOUND.get(type(target), ())):
            return None
        # down into the block of the compound statement the path goes through
        block, i = path[i + 1], i + 1
        if block is target.body and isinstance(block, cst.IndentedBlock):
            statements, nodes = block.body, found.body
        elif isinstance(block, cst.Else) and block is getattr(target, "orelse", None):
            if i + 1 >= len(path) or path[i + 1] is not block.body or not isinstance(block.body, cst.IndentedBlock):
                return None
            statements, nodes, i = block.body.body, found.orelse, i + 1
        else:
            return None  # an elif, a handler, a one-line suite: not followed
        i += 1
    return None
