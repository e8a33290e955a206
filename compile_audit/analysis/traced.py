"""Which nodes of a function run when compiled code calls it, read with CPython's ``ast`` (the
project index's pass over every file): not handlers, nested scopes, the eager branch of a
compile guard, or branches on ``*args``/``**kwargs`` (deprecated call styles).

This module imports only ``compile_audit.analysis.torchapi``.
"""

from __future__ import annotations

import ast
import re
from typing import Callable, Iterable, Optional

from compile_audit.analysis.torchapi import under_dynamo


_FIELDS: dict[type, tuple[str, ...]] = {}


def walk(node: ast.AST) -> Iterable[ast.AST]:
    """``ast.walk`` (the same nodes in the same breadth-first order) without its two generator
    layers per node: the project index walks every file's tree several times, and
    ``ast.iter_child_nodes`` was most of its cost."""
    fields_of, todo, AST = _FIELDS, [node], ast.AST
    position = 0
    while position < len(todo):
        current = todo[position]
        position += 1
        kind = type(current)
        fields = fields_of.get(kind)
        if fields is None:
            fields = fields_of[kind] = kind._fields
        for name in fields:
            value = getattr(current, name, None)
            if isinstance(value, AST):
                todo.append(value)
            elif isinstance(value, list):
                todo.extend(item for item in value if isinstance(item, AST))
        yield current


#: The identifiers a file's code must use for it to hold compiled code or a subject of a
#: module-scope rule (``scope.may_hold_compiled_code``; ``Rule.requires_text`` matches these):
#: a ``forward``, a compile call or alias, FlexAttention's functions, combinators, mod keywords
#: and signatures, SDPA.
CODE_WORDS = re.compile(r"forward|compile|optimize|flex_attention|create_block_mask|create_mask|and_masks|or_masks"
                        r"|mask_mod|score_mod|mod_fn|_mod_signature|scaled_dot_product_attention")
_REGEX_MODULES = frozenset({"re", "regex"})


def code_words(nodes: Iterable[ast.AST]) -> str:
    """The identifiers of the code (names, attributes, definitions, imports, keywords; not
    comments or docstrings) that ``CODE_WORDS`` matches, one per line: what the lint reads
    instead of the text to tell that a file cannot hold compiled code (``re.compile`` is left
    out: it compiles a pattern)."""
    found = set()
    for node in nodes:
        kind = type(node)
        if kind is ast.Name:
            word = node.id
        elif kind is ast.Attribute:
            word = node.attr
            if word == "compile" and type(node.value) is ast.Name and node.value.id in _REGEX_MODULES:
                continue
        elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef or kind is ast.ClassDef:
            word = node.name
        elif kind is ast.keyword or kind is ast.arg:
            word = node.arg or ""
        elif kind is ast.alias:
            word = f"{node.name} {node.asname or ''}"
        else:
            continue
        if CODE_WORDS.search(word):
            found.add(word)
    return "\n".join(sorted(found))


def decorator_name(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    return node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""


def own_nodes(statement: ast.stmt) -> Iterable[ast.AST]:
    """A statement and its expressions, not the statements nested in its blocks (``statements``
    yields those) nor nested scopes."""
    yield statement
    for name, value in ast.iter_fields(statement):
        if name in ("body", "orelse", "finalbody", "handlers", "decorator_list", "cases"):
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, ast.AST):
                yield from walk(item)


def statements(body: list) -> Iterable[ast.stmt]:
    """A scope's statements, through compound statements but not into nested scopes."""
    for node in body:
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for field_name in ("body", "orelse", "finalbody", "handlers"):
            inner = getattr(node, field_name, None)
            if isinstance(inner, list) and not isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                yield from statements(inner)


def traced_nodes(func: ast.AST, resolve: Optional[Callable] = None) -> Iterable[ast.AST]:
    """The nodes of a function that run when compiled code calls it, as far as its own tests
    tell: not in an ``except`` handler or a nested definition; not in the branch of a compile
    guard that runs eagerly (``if not is_compiling(): _warn(...)``); not in a branch that tests
    the function's ``*args``/``**kwargs`` (``if len(args) > 0 or kwargs.get("scale") is not
    None: deprecate(...)``: deprecated call styles compiled callers do not use)."""
    star = set()
    annotated: dict = {}
    arguments = getattr(func, "args", None)
    if isinstance(arguments, ast.arguments):
        star = {a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None}
        for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]:
            if a.annotation is not None:
                base = a.annotation.value if isinstance(a.annotation, ast.Subscript) else a.annotation
                annotated[a.arg] = decorator_name(base).lower()
    stack: list = list(ast.iter_child_nodes(func))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.ExceptHandler)):
            continue
        if isinstance(node, ast.If):
            stack.append(node.test)
            traced = traced_branches(node.test, star, annotated, resolve)
            if "body" in traced:
                stack.extend(node.body)
            if "orelse" in traced:
                stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))


def traced_branches(test: ast.expr, star: set, annotated: Optional[dict] = None, resolve: Optional[Callable] = None) -> set:
    """Which branches of ``if test:`` run under Dynamo: none when the test reads ``*args`` /
    ``**kwargs``; only ``orelse`` for ``if not isinstance(p, list):`` on a parameter annotated
    ``list[...]`` (the other type is a deprecated call style); one when it is (``not``,
    ``and``/``or`` of) a compile guard; else both."""
    if {n.id for n in walk(test) if isinstance(n, ast.Name)} & star:
        return set()
    if (annotated and isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
            and isinstance(test.operand, ast.Call) and decorator_name(test.operand.func) == "isinstance"
            and len(test.operand.args) == 2 and isinstance(test.operand.args[0], ast.Name)
            and annotated.get(test.operand.args[0].id) == decorator_name(test.operand.args[1]).lower() != ""):
        return {"orelse"}
    value = under_dynamo(test, resolve)
    if value is None:
        return {"body", "orelse"}
    return {"body"} if value else {"orelse"}
