"""Helpers shared by CA107, CA135 and CA138 (no rules here): the first read of a local that a
statement Dynamo cannot trace has just bound.

When a call breaks the graph in default mode, Dynamo runs it eagerly and resumes the function
after it, with every live local as an input of the resume function. A local bound to a value
Dynamo cannot hold (a collective's ``Work`` handle, a sparse tensor) breaks the graph again
where the resumed code first reads it. Only reads that certainly come first are found: the
binding must be a plain ``name = <call>`` statement of the function body (or of an ``if``
branch), not in a loop, ``with`` or ``try`` (where Dynamo may not resume at all), and the read
must be in a later statement of the same block, evaluated whenever that statement runs (a
read inside a nested branch or loop body may not run: the search stops there).
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from compile_audit.analysis.walk import children


def bound_name(ancestors: list, call: cst.Call) -> Optional[tuple[str, cst.SimpleStatementLine, cst.BaseSuite]]:
    """(name, statement, block) when ``call`` is the whole value of ``name = call`` (a statement
    of its own) in a function body or an ``if`` branch of it; else None. ``ancestors`` ends
    with ``call``."""
    if len(ancestors) < 4 or ancestors[-1] is not call:
        return None
    assign, statement, block = ancestors[-2], ancestors[-3], ancestors[-4]
    if isinstance(assign, cst.Assign):
        if len(assign.targets) != 1 or assign.value is not call:
            return None
        target = assign.targets[0].target
    elif isinstance(assign, cst.AnnAssign):
        if assign.value is not call:
            return None
        target = assign.target
    else:
        return None
    if not isinstance(target, cst.Name) or not isinstance(statement, cst.SimpleStatementLine):
        return None
    if len(statement.body) != 1 or not isinstance(block, cst.IndentedBlock):
        return None
    # up to the function: only blocks and if/else branches
    for node in reversed(ancestors[:-4]):
        if isinstance(node, cst.FunctionDef):
            break
        if not isinstance(node, (cst.IndentedBlock, cst.If, cst.Else)):
            return None
    else:
        return None
    return target.value, statement, block


def read_after(ancestors: list, node: cst.CSTNode) -> Optional[tuple[str, cst.Name, list]]:
    """``name = node`` followed by a certain first read of ``name``: (name, the read, its
    parents); None when ``node`` is not bound that way or no read certainly follows."""
    bound = bound_name(ancestors, node)  # type: ignore[arg-type]
    if bound is None:
        return None
    name, statement, block = bound
    found = first_read(name, statement, block)  # type: ignore[arg-type]
    return None if found is None else (name, found[0], found[1])


def first_read(name: str, statement: cst.SimpleStatementLine, block: cst.IndentedBlock
               ) -> Optional[tuple[cst.Name, list]]:
    """The first read of ``name`` after ``statement`` in ``block`` that runs whenever the code
    after ``statement`` runs, with its parents (outermost first, within its statement); None
    when the name is rebound first, read only conditionally, or not read at all."""
    statements = list(block.body)
    index = next((i for i, s in enumerate(statements) if s is statement), None)
    if index is None:
        return None
    for following in statements[index + 1:]:
        if isinstance(following, cst.SimpleStatementLine):
            for small in following.body:
                found, stop = _scan_small(name, small, [following])
                if found is not None:
                    return found
                if stop or isinstance(small, (cst.Return, cst.Raise, cst.Continue, cst.Break)):
                    return None
            continue
        for header in _headers(following):
            found = _first_load(name, header, [following])
            if found is not None:
                return found
        if _mentions(name, following):
            return None  # read or rebound in a nested block: not certain
    return None


def _scan_small(name: str, small: cst.CSTNode, parents: list) -> tuple[Optional[tuple[cst.Name, list]], bool]:
    """(first read, whether the name is rebound) in one small statement, in evaluation order."""
    if isinstance(small, cst.Assign):
        found = _first_load(name, small.value, parents + [small])
        if found is not None:
            return found, True
        for target in small.targets:
            if _binds(name, target.target):
                return None, True
            found = _first_load(name, target.target, parents + [small, target])
            if found is not None:
                return found, True
        return None, False
    if isinstance(small, cst.AnnAssign):
        found = _first_load(name, small.value, parents + [small]) if small.value is not None else None
        if found is not None:
            return found, True
        return None, _binds(name, small.target)
    if isinstance(small, cst.AugAssign):
        found = _first_load(name, small.value, parents + [small])
        if found is None and isinstance(small.target, cst.Name) and small.target.value == name:
            return (small.target, parents + [small]), True
        return found, found is not None
    if isinstance(small, (cst.Del, cst.Global, cst.Nonlocal, cst.Import, cst.ImportFrom)):
        return None, _mentions(name, small)
    found = _first_load(name, small, parents)
    return found, found is not None


def _headers(node: cst.CSTNode) -> list:
    """The expressions a compound statement always evaluates."""
    if isinstance(node, cst.If):
        return [node.test]
    if isinstance(node, cst.While):
        return [node.test]
    if isinstance(node, cst.For):
        return [node.iter]
    if isinstance(node, cst.With):
        return [item.item for item in node.items]
    return []


def _binds(name: str, target: cst.CSTNode) -> bool:
    if isinstance(target, cst.Name):
        return target.value == name
    if isinstance(target, (cst.Tuple, cst.List)):
        return any(_binds(name, e.value) for e in target.elements)
    if isinstance(target, cst.StarredElement):
        return _binds(name, target.value)
    return False


def _first_load(name: str, expr: Optional[cst.CSTNode], parents: list) -> Optional[tuple[cst.Name, list]]:
    """The first ``Name`` node reading ``name`` in ``expr`` (source order), not looking into
    lambdas, nested definitions or comprehensions (they run later, or in a scope of their own)."""
    if expr is None:
        return None
    stack: list[tuple[cst.CSTNode, list]] = [(expr, parents)]
    while stack:
        node, above = stack.pop()
        if isinstance(node, cst.Name):
            if node.value == name:
                return node, above
            continue
        if isinstance(node, (cst.Lambda, cst.FunctionDef, cst.ClassDef, cst.ListComp, cst.SetComp, cst.DictComp,
                             cst.GeneratorExp)):
            continue
        if isinstance(node, cst.Attribute):
            stack.append((node.value, above + [node]))  # the attribute's name is not a read
            continue
        if isinstance(node, cst.Arg):
            stack.append((node.value, above + [node]))  # nor is a keyword's name
            continue
        stack.extend((child, above + [node]) for child in reversed(list(children(node))))
    return None


def _mentions(name: str, node: cst.CSTNode) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name) and current.value == name:
            return True
        stack.extend(children(current))
    return False
