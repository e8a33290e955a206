"""The scope pass's one walk over a file: imports, classes, functions, the calls and assignments
that decide what is compiled (``compile_audit.analysis.scope`` reads them), and the code that runs
eagerly even inside compiled functions (one-shot cache fills, memo fills, error handlers).
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from compile_audit.analysis.definitions import ClassInfo, FunctionInfo
from compile_audit.analysis.names import ImportMap, dotted_name
from compile_audit.analysis.torchapi import HOOK_REGISTRARS, RUNTIME_TENSOR_ERRORS, under_dynamo
from compile_audit.analysis.walk import Visitor


def lazy_init(node: cst.If) -> bool:
    """``if self._cache is None: self._cache = build()`` (or a module global): a cache filled
    on the first call. Compiled code runs the body once, when the cache is empty; the steady
    state Dynamo compiles skips it, so it is treated like other one-shot setup."""
    test = node.test
    if not (isinstance(test, cst.Comparison) and len(test.comparisons) == 1
            and isinstance(test.comparisons[0].operator, cst.Is)
            and isinstance(test.comparisons[0].comparator, cst.Name) and test.comparisons[0].comparator.value == "None"):
        return False
    subject = dotted_name(test.left)
    if subject is None or node.orelse is not None:
        return False
    if "." not in subject and not subject.lstrip("_").isupper():
        # a local or a parameter (`if dim_size is None: dim_size = int(index.max()) + 1`) is
        # filled on every call: only an attribute or a module-level cache (`_CACHE`) persists
        return False
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else []
    for statement in body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Assign) and any(dotted_name(t.target) == subject for t in small.targets):
                    return True
    return False


def memo_tail(body: cst.BaseSuite) -> list:
    """``if _CACHE is not None: return _CACHE`` followed by code that fills ``_CACHE``: the
    statements after the test run once (the first call); in the steady state Dynamo compiles,
    the function returns the cached value. Returns those statements (empty when not a memo)."""
    statements = list(getattr(body, "body", ()))
    for index, statement in enumerate(statements):
        if not isinstance(statement, cst.If) or statement.orelse is not None:
            continue
        test = statement.test
        subject = None
        if (isinstance(test, cst.Comparison) and len(test.comparisons) == 1
                and isinstance(test.comparisons[0].operator, cst.IsNot)
                and isinstance(test.comparisons[0].comparator, cst.Name) and test.comparisons[0].comparator.value == "None"):
            subject = dotted_name(test.left)
        if subject is None:
            continue
        inner = getattr(statement.body, "body", ())
        returns = (len(inner) == 1 and isinstance(inner[0], cst.SimpleStatementLine) and len(inner[0].body) == 1
                   and isinstance(inner[0].body[0], cst.Return) and inner[0].body[0].value is not None
                   and dotted_name(inner[0].body[0].value) == subject)
        if not returns:
            continue
        tail = statements[index + 1:]
        if any(_assigns(t, subject) for t in tail):
            return tail
    return []


def _assigns(node: cst.CSTNode, subject: str) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.AssignTarget) and dotted_name(current.target) == subject:
            return True
        if isinstance(current, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        stack.extend(current.children)
    return False


class Collector(Visitor):
    """One pass over the module: imports, classes, functions and the calls that matter."""

    def __init__(self, imports: Optional[ImportMap] = None) -> None:
        self.imports = imports or ImportMap()
        self.functions: dict[cst.FunctionDef, FunctionInfo] = {}
        self.module_functions: dict[str, FunctionInfo] = {}
        self.classes: dict[str, ClassInfo] = {}
        # enclosing definitions, innermost last: ClassInfo or FunctionInfo
        self._stack: list[object] = []
        self.candidate_calls: list[tuple[cst.Call, Optional[FunctionInfo]]] = []
        self.forward_assignments: list[tuple[str, Optional[FunctionInfo]]] = []
        self.self_assignments: list[tuple[ClassInfo, str, cst.BaseExpression]] = []
        #: the function each ``self_assignments`` entry was made in (same order)
        self.self_assignment_sites: list[FunctionInfo] = []
        #: every class, nested ones (a class built in a factory function) included
        self.all_classes: list[ClassInfo] = []
        #: (hook, where) of ``x.register_forward_hook(hook)`` / ``register_forward_pre_hook``
        self.hooks: list[tuple[cst.BaseExpression, Optional[FunctionInfo]]] = []
        self.buffer_calls: list[tuple[ClassInfo, cst.Call]] = []
        self.module_aliases: list[tuple[str, cst.Call]] = []
        self.module_assigned: dict[str, list[cst.BaseExpression]] = {}
        # inside a branch Dynamo never traces (``if torch.jit.is_scripting():``): its calls do
        # not extend the compiled scope
        self._untraced = 0
        self._branches: dict[cst.If, Optional[str]] = {}
        #: statements and ``except`` handlers that run eagerly even in compiled functions: the
        #: fill of a memo (``memo_tail``), handlers of run-time tensor errors
        self.eager_nodes: set[cst.CSTNode] = set()
        #: id of each function and lambda -> the definitions (class and function nodes) around
        #: it, outermost first: what the lint's walk must enter to reach it
        self.enclosing: dict[int, tuple[cst.CSTNode, ...]] = {}

    def on_visit(self, node: cst.CSTNode) -> bool:
        if node in self.eager_nodes:
            self._untraced += 1
        return super().on_visit(node)

    def on_leave(self, node: cst.CSTNode) -> None:
        super().on_leave(node)
        if node in self.eager_nodes:
            self._untraced -= 1

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        types = node.type
        names = types.elements if isinstance(types, cst.Tuple) else [types] if types is not None else []
        resolved = [self.imports.resolve(e.value if isinstance(e, cst.Element) else e) for e in names]
        if resolved and all(r in RUNTIME_TENSOR_ERRORS for r in resolved):
            self.eager_nodes.add(node.body)

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        if isinstance(node, cst.If) and attribute in ("body", "orelse"):
            if node not in self._branches:
                value = under_dynamo(node.test, self.imports.resolve)
                self._branches[node] = None if value is None else ("orelse" if value else "body")
                if value is None and lazy_init(node):
                    self._branches[node] = "body"
            if self._branches[node] == attribute:
                self._untraced += 1

    def on_leave_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        if isinstance(node, cst.If) and self._branches.get(node) == attribute:
            self._untraced -= 1

    def _function(self) -> Optional[FunctionInfo]:
        for item in reversed(self._stack):
            if isinstance(item, FunctionInfo):
                return item
        return None

    # imports -------------------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> None:
        self.imports.add_import(node)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self.imports.add_import_from(node)

    # definitions ---------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        info = ClassInfo(node, node.name.value, [a.value for a in node.bases if a.keyword is None])
        self.all_classes.append(info)
        if not self._stack:
            self.classes[info.name] = info
            self.imports.local_names.add(info.name)
        self._stack.append(info)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._stack.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.enclosing[id(node)] = tuple(outer.node for outer in self._stack)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        inner = self._stack[-1] if self._stack else None
        cls = inner if isinstance(inner, ClassInfo) else None
        parent = inner if isinstance(inner, FunctionInfo) else None
        prefix = parent.qualname + ".<locals>." if parent else (cls.name + "." if cls else "")
        info = FunctionInfo(
            node=node,
            name=node.name.value,
            qualname=prefix + node.name.value,
            cls=cls,
            parent=parent,
            decorators=[d.decorator for d in node.decorators],
        )
        self.functions[node] = info
        self.enclosing[id(node)] = tuple(outer.node for outer in self._stack)
        if parent is not None:
            parent.nested[info.name] = info
        elif cls is not None:
            cls.methods[info.name] = info
        else:
            self.module_functions[info.name] = info
            self.imports.local_names.add(info.name)
        self._stack.append(info)
        self.eager_nodes.update(memo_tail(node.body))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._stack.pop()

    # calls and assignments -----------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        func = self._function()
        self.candidate_calls.append((node, func))
        callee = node.func
        if isinstance(callee, cst.Attribute) and callee.attr.value in HOOK_REGISTRARS and node.args:
            self.hooks.append((node.args[0].value, func))
        if func is None or self._untraced:
            return
        for arg in node.args:
            value = arg.value
            if isinstance(value, cst.Name):
                func.passed_names.add(value.value)
            elif is_self_attribute(value):
                func.passed_self.add(value.attr.value)  # type: ignore[attr-defined]
        if isinstance(callee, cst.Attribute) and callee.attr.value == "apply" and isinstance(callee.value, cst.Name):
            func.applied.add(callee.value.value)
        if isinstance(node.func, cst.Name):
            func.called_names.add(node.func.value)
            func.calls.append(node)
        elif (
            isinstance(node.func, cst.Attribute)
            and isinstance(node.func.value, cst.Name)
            and node.func.value.value == "self"
        ):
            func.called_methods.add(node.func.attr.value)
            if node.func.attr.value == "register_buffer" and func.cls is not None:
                self.buffer_calls.append((func.cls, node))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        func = self._function()
        if func is not None and not self._untraced and isinstance(node.value, cst.Name) and node.value.value == "self":
            func.self_reads.add(node.attr.value)

    def visit_With(self, node: cst.With) -> None:
        func = self._function()
        if func is not None and not self._untraced:
            func.with_items.extend(item.item for item in node.items)

    def visit_For(self, node: cst.For) -> None:
        # for mod in (causal, sliding_window): ... -- the loop variable takes each element
        if isinstance(node.target, cst.Name) and isinstance(node.iter, (cst.Tuple, cst.List)):
            func = self._function()
            table = func.assigned if func is not None else self.module_assigned
            table.setdefault(node.target.value, []).extend(e.value for e in node.iter.elements)

    def visit_Return(self, node: cst.Return) -> None:
        func = self._function()
        if func is not None and isinstance(node.value, cst.Name):
            func.returned_names.add(node.value.value)
        if func is not None and isinstance(node.value, cst.Call) and isinstance(node.value.func, cst.Name):
            func.returned_calls.add(node.value.func.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        func = self._function()
        for target in node.targets:
            t = target.target
            if isinstance(t, cst.Name):
                table = func.assigned if func is not None else self.module_assigned
                table.setdefault(t.value, []).append(node.value)
            if isinstance(t, cst.Attribute) and t.attr.value == "forward" and isinstance(node.value, cst.Name):
                self.forward_assignments.append((node.value.value, func))
            if (
                isinstance(t, cst.Attribute)
                and isinstance(t.value, cst.Name)
                and t.value.value == "self"
                and func is not None
                and func.cls is not None
            ):
                self.self_assignments.append((func.cls, t.attr.value, node.value))
                self.self_assignment_sites.append(func)
            if isinstance(t, cst.Name) and not self._stack:
                self.imports.local_names.add(t.value)
                if isinstance(node.value, cst.Call) and node.value.args:
                    self.module_aliases.append((t.value, node.value))


def is_self_attribute(value: cst.BaseExpression) -> bool:
    return isinstance(value, cst.Attribute) and isinstance(value.value, cst.Name) and value.value.value == "self"
