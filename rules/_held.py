"""What a name or ``self.attr`` is assigned in the file (for CA131, CA132, CA136, CA137). No rules here.

``held_values(context, expr)`` gives every expression assigned to ``expr`` where that is known
from plain assignments only, else ``[]``:

* ``self.attr``: the ``self.attr = ...`` of the methods, and the ``attr = ...`` of the class
  body, of the enclosing class and its in-file bases;
* a local name of the function being walked (or of a function it is nested in): its
  assignments there, when ``=`` is the only way it is bound (no parameter, loop, ``with ... as``,
  augmented assignment, ``global``...);
* any other name: its assignments at the top level of the module.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from compile_audit.analysis.names import dotted_name
from compile_audit.analysis.walk import children


def held_values(context, expr: cst.BaseExpression) -> list[cst.BaseExpression]:
    func = context.current_function
    if (
        isinstance(expr, cst.Attribute)
        and isinstance(expr.value, cst.Name)
        and expr.value.value == "self"
        and func is not None
    ):
        cls = func.cls or context.scope.enclosing_class(func)
        if cls is None:
            return []
        return _attribute_values(context.scope, cls, expr.attr.value)
    if isinstance(expr, cst.Name):
        name = expr.value
        current = func
        while current is not None:
            if _is_param(current.node, name):
                return []
            how, values = bindings(current.node.body, name)
            if how == "assign":
                return values
            if how is not None:
                return []
            current = current.parent
        how, values = bindings(context.module, name)
        return values if how == "assign" else []
    return []


def _attribute_values(scope, cls, attr: str) -> list[cst.BaseExpression]:
    """What ``self.attr`` is assigned in the class and its in-file bases (methods and class
    bodies); nothing when some store of it has no known value."""
    stores = self_assignments(scope, cls, attr)
    if any(v is None for v in stores):
        return []
    values: list[cst.BaseExpression] = list(stores)  # type: ignore[arg-type]
    for current in scope.class_chain(cls):
        how, found = bindings(current.node.body, attr)
        if how == "other":
            return []
        values.extend(found)
    return values


def _is_param(func: cst.FunctionDef, name: str) -> bool:
    params = func.params
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        if param.name.value == name:
            return True
    return any(isinstance(star, cst.Param) and star.name.value == name for star in (params.star_arg, params.star_kwarg))


def bindings(block: cst.CSTNode, name: str) -> tuple[Optional[str], list[cst.BaseExpression]]:
    """How the scope whose body is ``block`` (a module, class or function body; nested
    functions and classes are other scopes) binds ``name``: ("assign", the values) when only by
    ``name = value``, ("other", []) when also some other way (a loop, ``with ... as``, an
    import, ``global``...), (None, []) when it does not."""
    values: list[cst.BaseExpression] = []
    other = False
    stack = list(children(block))
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            if node.name.value == name:
                other = True
            continue
        if isinstance(node, (cst.Lambda, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)):
            continue
        if isinstance(node, cst.Assign):
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    if target.target.value == name:
                        values.append(node.value)
                elif name in _target_names(target.target):
                    other = True
        elif isinstance(node, cst.AnnAssign):
            if name in _target_names(node.target):
                if node.value is None:
                    pass  # a bare annotation binds nothing
                elif isinstance(node.target, cst.Name):
                    values.append(node.value)
        elif isinstance(node, (cst.AugAssign, cst.For, cst.NamedExpr)):
            if name in _target_names(node.target):
                other = True
        elif isinstance(node, cst.WithItem) and node.asname is not None:
            if name in _target_names(node.asname.name):
                other = True
        elif isinstance(node, cst.ExceptHandler) and node.name is not None:
            if name in _target_names(node.name.name):
                other = True
        elif isinstance(node, (cst.Global, cst.Nonlocal)):
            if any(n.name.value == name for n in node.names):
                other = True
        elif isinstance(node, (cst.Import, cst.ImportFrom)) and not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                bound = dotted_name(alias.asname.name if alias.asname else alias.name) or ""
                if bound.split(".")[0] == name:
                    other = True
        elif isinstance(node, cst.Del) and name in _target_names(node.target):
            other = True
        stack.extend(children(node))
    if other:
        return "other", []
    return ("assign", values) if values else (None, [])


def _target_names(target: cst.CSTNode) -> set[str]:
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, (cst.Tuple, cst.List)):
        found: set[str] = set()
        for element in target.elements:
            found |= _target_names(element.value)
        return found
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return set()


def self_assignments(scope, cls, attr: str) -> list[Optional[cst.BaseExpression]]:
    """Every value the class (and its in-file bases) assigns to ``self.<attr>`` in any method;
    None for a store whose value is not known (an unpacking, ``+=``, ``setattr``, a bare
    annotation)."""
    values: list = []
    for current in scope.class_chain(cls):
        values.extend(_assignments(scope, current.node, attr))
    return values


def _assignments(scope, node: cst.ClassDef, attr: str) -> list:
    """The ``self.<attr>`` stores of one class body (each class is walked once per file: the
    table is kept on the file's scope)."""
    tables = scope.__dict__.setdefault("_held_stores", {})
    stores = tables.get(id(node))
    if stores is None:
        stores = tables[id(node)] = _all_stores(node)
    return stores.get(attr, [])


def _all_stores(node: cst.ClassDef) -> dict:
    """Every ``self.<attr>`` store of the class body: the value, or None where it is not known."""
    found: dict = {}
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
                if isinstance(leaf, cst.Attribute) and isinstance(leaf.value, cst.Name) and leaf.value.value == "self":
                    single = isinstance(current, (cst.Assign, cst.AnnAssign)) and leaf is target
                    found.setdefault(leaf.attr.value, []).append(current.value if single else None)
        if (isinstance(current, cst.Call) and dotted_name(current.func) in ("setattr", "object.__setattr__")
                and len(current.args) >= 2 and isinstance(current.args[1].value, cst.SimpleString)):
            found.setdefault(current.args[1].value.evaluated_value, []).append(None)
        stack.extend(children(current))
    return found


def _leaves(target: cst.BaseExpression) -> list:
    if isinstance(target, (cst.Tuple, cst.List)):
        return [leaf for element in target.elements for leaf in _leaves(element.value)]
    if isinstance(target, cst.StarredElement):
        return _leaves(target.value)
    return [target]
