"""Helpers shared by CA136 and CA137 (no rules here): what a class stores in ``self.<attr>``."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from compile_audit.names import dotted_name
from compile_audit.walk import children


def self_assignments(scope, cls, attr: str) -> list[Optional[cst.BaseExpression]]:
    """Every value the class (and its in-file bases) assigns to ``self.<attr>`` in any method;
    None for a store whose value is not known (an unpacking, ``+=``, ``setattr``, a bare
    annotation)."""
    values: list = []
    seen: set = set()
    stack = [cls]
    while stack:
        current = stack.pop()
        if current.name in seen:
            continue
        seen.add(current.name)
        values.extend(_assignments(current.node, attr))
        for base in current.base_exprs:
            base_name = dotted_name(base)
            if base_name in scope.classes:
                stack.append(scope.classes[base_name])
    return values


def _assignments(node: cst.ClassDef, attr: str) -> list:
    found: list = []
    stack: list = [node.body]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.ClassDef):
            continue
        targets: list = []
        if isinstance(current, cst.Assign):
            targets = [t.target for t in current.targets]
        elif isinstance(current, (cst.AnnAssign, cst.AugAssign)):
            targets = [current.target]
        for target in targets:
            for leaf in _leaves(target):
                if (isinstance(leaf, cst.Attribute) and isinstance(leaf.value, cst.Name)
                        and leaf.value.value == "self" and leaf.attr.value == attr):
                    single = isinstance(current, (cst.Assign, cst.AnnAssign)) and leaf is target
                    found.append(current.value if single else None)
        if (isinstance(current, cst.Call) and dotted_name(current.func) in ("setattr", "object.__setattr__")
                and len(current.args) >= 2 and isinstance(current.args[1].value, cst.SimpleString)
                and current.args[1].value.evaluated_value == attr):
            found.append(None)
        stack.extend(children(current))
    return found


def _leaves(target: cst.BaseExpression) -> list:
    if isinstance(target, (cst.Tuple, cst.List)):
        return [leaf for element in target.elements for leaf in _leaves(element.value)]
    if isinstance(target, cst.StarredElement):
        return _leaves(target.value)
    return [target]
