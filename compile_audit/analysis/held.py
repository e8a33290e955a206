"""What a name or ``self.attr`` is assigned in the file, from its binding statements alone.

The value model (``compile_audit.analysis.values``) answers what a name holds at one statement,
flow-sensitively, as a lattice value. Some rules need the assigned *expressions* instead (which
constructor made the lock, which layer ``self.rnn`` is), and only where plain assignments are
the whole story. One walk finds every binding of a name in a scope (``binding_sites``); the
queries read it:

* ``bindings(block, name)``: ("assign", values) when ``name = value`` is the only way the scope
  binds it, ("other", []) when something else binds it too, (None, []) when nothing does;
* ``single_definition(func, name)``: the value of the one binding of ``name`` in ``func``;
* ``held_values(context, expr)``: for ``self.attr``, the ``self.attr = ...`` stores of the
  methods and the ``attr = ...`` of the class bodies of the enclosing class and its in-file
  bases; for a local, its assignments in the function being walked (or one it is nested in),
  when ``=`` is the only way it is bound; for any other name, its top-level assignments;
* ``self_assignments(scope, cls, attr)``: every ``self.attr`` store of the class and its bases.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from compile_audit.analysis.names import dotted_name
from compile_audit.analysis.walk import children

#: nodes whose bindings are their own (a nested function's, a lambda's, a comprehension's)
_OWN_SCOPE = (cst.FunctionDef, cst.ClassDef, cst.Lambda, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)

#: binding kinds whose value is an expression: ``name = value`` (one target or several) and
#: ``name: T = value``
ASSIGNED = ("assign", "chained", "annotated")


def binding_sites(block: cst.CSTNode, name: str) -> list[tuple[str, Optional[cst.BaseExpression]]]:
    """Every binding of ``name`` in the scope whose body is ``block`` (a module, class or
    function body; nested functions, classes, lambdas and comprehensions are other scopes), as
    (kind, value): "assign" (``name = v``), "chained" (``a = name = v``), "annotated"
    (``name: T = v``), and, with no value, "annotation" (a bare ``name: T``, which binds
    nothing), "def", "unpack", "augmented", "loop", "walrus", "with", "except", "import-as"
    (``import x as name``), "import" (``import name``, ``from m import name``), "global", "del"."""
    found: list[tuple[str, Optional[cst.BaseExpression]]] = []
    stack = list(children(block))
    while stack:
        node = stack.pop()
        if isinstance(node, _OWN_SCOPE):
            if isinstance(node, (cst.FunctionDef, cst.ClassDef)) and node.name.value == name:
                found.append(("def", None))
            continue
        if isinstance(node, cst.Assign):
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    if target.target.value == name:
                        found.append(("assign" if len(node.targets) == 1 else "chained", node.value))
                elif name in _target_names(target.target):
                    found.append(("unpack", None))
        elif isinstance(node, cst.AnnAssign):
            if name in _target_names(node.target):
                found.append(("annotation", None) if node.value is None else ("annotated", node.value))
        elif isinstance(node, (cst.AugAssign, cst.For, cst.NamedExpr)):
            if name in _target_names(node.target):
                kind = "augmented" if isinstance(node, cst.AugAssign) else "loop" if isinstance(node, cst.For) else "walrus"
                found.append((kind, None))
        elif isinstance(node, cst.WithItem) and node.asname is not None:
            if name in _target_names(node.asname.name):
                found.append(("with", None))
        elif isinstance(node, (cst.ExceptHandler, cst.ExceptStarHandler)) and node.name is not None:
            if name in _target_names(node.name.name):
                found.append(("except", None))
        elif isinstance(node, (cst.Global, cst.Nonlocal)):
            if any(n.name.value == name for n in node.names):
                found.append(("global", None))
        elif isinstance(node, (cst.Import, cst.ImportFrom)) and not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                if alias.asname is not None:
                    if name in _target_names(alias.asname.name):
                        found.append(("import-as", None))
                elif (dotted_name(alias.name) or "").split(".")[0] == name:
                    found.append(("import", None))
        elif isinstance(node, cst.Del) and name in _target_names(node.target):
            found.append(("del", None))
        stack.extend(children(node))
    return found


def bindings(block: cst.CSTNode, name: str) -> tuple[Optional[str], list[cst.BaseExpression]]:
    """How the scope whose body is ``block`` binds ``name``: ("assign", the values) when only by
    ``name = value``, ("other", []) when also some other way (a loop, ``with ... as``, an
    import, ``global``...), (None, []) when it does not."""
    values: list[cst.BaseExpression] = []
    for kind, value in binding_sites(block, name):
        if kind in ASSIGNED:
            values.append(value)  # type: ignore[arg-type]
        elif kind != "annotation":
            return "other", []
    return ("assign", values) if values else (None, [])


def single_definition(func: cst.FunctionDef, name: str) -> Optional[cst.BaseExpression]:
    """The value of ``name = <value>`` when that is the only binding of ``name`` in ``func``
    (not a parameter, no other assignment, loop target, ``with ... as``, walrus, import)."""
    if is_parameter(func, name):
        return None
    # ``import name`` and ``del name`` are not counted: the binding is the assignment
    sites = [(kind, value) for kind, value in binding_sites(func.body, name) if kind not in ("import", "del")]
    if len(sites) != 1:
        return None
    kind, value = sites[0]
    return value if kind in ("assign", "annotated") else None


def held_values(context, expr: cst.BaseExpression) -> list[cst.BaseExpression]:
    """Every expression assigned to ``expr`` (``self.attr`` or a name) where the walk of
    ``context`` (a ``FileContext``) is, when plain assignments are known to be the whole story;
    else ``[]``."""
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
            if is_parameter(current.node, name):
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


def is_parameter(func: cst.FunctionDef, name: str) -> bool:
    params = func.params
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        if param.name.value == name:
            return True
    return any(isinstance(star, cst.Param) and star.name.value == name for star in (params.star_arg, params.star_kwarg))


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
