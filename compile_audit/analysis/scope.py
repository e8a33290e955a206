"""Which code ``torch.compile`` will trace: the rule of scope.

Rules of the ``compiled`` scope fire only inside:

* functions decorated with ``torch.compile`` (bare or called) or ``torch._dynamo.optimize``;
* functions and classes passed to ``torch.compile(...)`` anywhere in the file;
* ``forward`` of every ``nn.Module`` subclass (direct, or through a subclass in the file), and
  a function assigned to some ``X.forward`` (a patched forward);
* ``score_mod`` / ``mask_mod`` functions handed to ``flex_attention``, ``create_block_mask``,
  ``create_mask``, ``and_masks``/``or_masks`` (FlexAttention traces them under vmap);
* transitively, the module-level functions (by name) and the methods (``self.m(...)``) these
  call within the file, and every function nested inside them;

and never in a function decorated with ``torch.compiler.disable``/``torch._dynamo.disable``,
nor in the branch of ``if torch.compiler.is_compiling():`` that only runs eagerly (handled by
``compile_audit.lint.context``). ``__init__``, training loops, data loading and tests stay out of
scope unless compiled code calls them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

import libcst as cst

from compile_audit.analysis.names import ImportMap, dotted_name
from compile_audit.analysis.project import is_data_path, is_export_path

if TYPE_CHECKING:  # pragma: no cover
    from compile_audit.analysis.project import ProjectIndex
from compile_audit.analysis.walk import Visitor, walk

COMPILE_FUNCS = frozenset({"torch.compile", "torch._dynamo.optimize"})
DISABLE_DECORATORS = frozenset(
    {"torch.compiler.disable", "torch._dynamo.disable", "torch._disable_dynamo"}
)
FLEX = "torch.nn.attention.flex_attention"
FLEX_ATTENTION = f"{FLEX}.flex_attention"
CREATE_BLOCK_MASK = f"{FLEX}.create_block_mask"
# callable -> (positional index of the mod, keyword name) for each mod argument it takes
MOD_TAKERS: dict[str, tuple[tuple[int, str], ...]] = {
    FLEX_ATTENTION: ((3, "score_mod"),),
    CREATE_BLOCK_MASK: ((0, "mask_mod"),),
    f"{FLEX}.create_mask": ((0, "mod_fn"),),
}
MASK_COMBINATORS = frozenset({f"{FLEX}.and_masks", f"{FLEX}.or_masks"})
#: methods that register a callable Dynamo traces as part of the module's call
HOOK_REGISTRARS = frozenset({"register_forward_hook", "register_forward_pre_hook"})
PARTIALS = frozenset({"functools.partial"})
AUTOGRAD_FUNCTIONS = frozenset({"torch.autograd.Function", "torch.autograd.function.Function"})
MOD_SIGNATURES = frozenset({f"{FLEX}._mask_mod_signature", f"{FLEX}._score_mod_signature"})
IS_COMPILING = frozenset(
    {
        "torch.compiler.is_compiling",
        "torch.compiler.is_dynamo_compiling",
        "torch._dynamo.is_compiling",
        "torch._utils.is_compiling",
    }
)
#: tests that are False while Dynamo traces (TorchScript and ONNX export paths)
NOT_UNDER_DYNAMO = frozenset(
    {
        "torch.jit.is_scripting",
        "torch.jit.is_tracing",
        "torch._C._get_tracing_state",
        "torch._jit_internal.is_scripting",
        "torch.onnx.is_in_onnx_export",
    }
)


def fold_test(test: cst.BaseExpression, leaf) -> Optional[bool]:
    """A test's value when its parts are known: ``not``, ``and``, ``or`` over ``leaf(expr)``
    (True, False, or None for unknown), in three-valued logic."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        inner = fold_test(test.expression, leaf)
        return None if inner is None else not inner
    if isinstance(test, cst.BooleanOperation):
        left, right = fold_test(test.left, leaf), fold_test(test.right, leaf)
        if isinstance(test.operator, cst.Or):
            if left is True or right is True:
                return True
            return False if left is False and right is False else None
        if left is False or right is False:
            return False
        return True if left is True and right is True else None
    return leaf(test)


def under_dynamo(test: cst.BaseExpression, imports: ImportMap) -> Optional[bool]:
    """The value a test has while Dynamo traces, when it is fixed (``is_compiling()`` is
    True, ``torch.jit.is_scripting()`` False, and ``and``/``or``/``not`` of them); else None."""
    return fold_test(test, lambda leaf: dynamo_constant(leaf, imports))


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
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else []
    for statement in body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Assign) and any(dotted_name(t.target) == subject for t in small.targets):
                    return True
    return False


#: exceptions a tensor operation raises at run time: under Dynamo (fake tensors) the operation
#: does not raise while tracing, so a handler for them is never traced
RUNTIME_TENSOR_ERRORS = frozenset({"builtins.RuntimeError", "torch.linalg.LinAlgError", "torch._C._LinAlgError"})


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


def dynamo_constant(test: cst.BaseExpression, imports: ImportMap) -> Optional[bool]:
    if isinstance(test, cst.Call):
        qn = imports.resolve(test.func)
        if qn in IS_COMPILING:
            return True
        if qn in NOT_UNDER_DYNAMO:
            return False
    return None


@dataclass(eq=False)
class ClassInfo:
    node: cst.ClassDef
    name: str
    base_exprs: list[cst.BaseExpression]
    methods: dict[str, "FunctionInfo"] = field(default_factory=dict)
    is_module: bool = False
    #: attributes assigned tensors (nn.Parameter, register_buffer, torch.* results)
    tensor_attrs: set[str] = field(default_factory=set)
    #: attributes assigned layers (nn.* modules, in-file Module subclasses)
    layer_attrs: set[str] = field(default_factory=set)
    #: the subset of layer_attrs that are torch.nn's own modules (their output is a Tensor)
    torch_layer_attrs: set[str] = field(default_factory=set)
    #: attributes assigned Python numbers or bools (literals, or ``int(...)``/``float(...)``)
    number_attrs: set[str] = field(default_factory=set)
    #: attribute -> (kind, detail) for attributes whose every assignment agrees: ("tensor",
    #: "a Parameter"), ("number", ...), ("module", "torch.nn.Linear" or a ClassInfo)
    attr_values: dict[str, tuple[str, object]] = field(default_factory=dict)


@dataclass(eq=False)
class FunctionInfo:
    node: cst.FunctionDef
    name: str
    qualname: str
    cls: Optional[ClassInfo]
    parent: Optional["FunctionInfo"]
    decorators: list[cst.BaseExpression]
    nested: dict[str, "FunctionInfo"] = field(default_factory=dict)
    called_names: set[str] = field(default_factory=set)
    called_methods: set[str] = field(default_factory=set)
    #: (call node) of calls to plain names, for interprocedural tensor inference
    calls: list[cst.Call] = field(default_factory=list)
    #: plain names this function returns (a mod factory returns its nested mod)
    returned_names: set[str] = field(default_factory=set)
    #: names of what it returns called (``return Block()``: a model factory)
    returned_calls: set[str] = field(default_factory=set)
    #: name -> values assigned to it in this function's own body
    assigned: dict[str, list[cst.BaseExpression]] = field(default_factory=dict)
    compiled_reason: Optional[str] = None
    #: "entry" (its parameters are the compiled inputs), "mod" (a FlexAttention mod), "helper"
    role: str = "helper"
    disabled: bool = False
    #: for FlexAttention mods: "score" (score_mod) or "mask" (mask_mod)
    mod_kind: Optional[str] = None
    #: decorated with or passed to torch.compile (not only a Module's forward)
    explicit: bool = False
    #: plain names and ``self`` attributes passed as arguments to calls (``checkpoint(self._ffn,
    #: x)``, ``vmap(per_sample)``, ``partial(f, ...)``): callables handed to code that calls them
    passed_names: set[str] = field(default_factory=set)
    passed_self: set[str] = field(default_factory=set)
    #: ``self`` attributes read (a property read runs its body)
    self_reads: set[str] = field(default_factory=set)
    #: ``Name.apply(...)`` (a custom ``autograd.Function``)
    applied: set[str] = field(default_factory=set)
    #: the context managers of its ``with`` statements
    with_items: list[cst.BaseExpression] = field(default_factory=list)

    @property
    def is_compiled(self) -> bool:
        return self.compiled_reason is not None

    @property
    def is_method(self) -> bool:
        return self.cls is not None and self.parent is None


class _Collector(Visitor):
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
                value = under_dynamo(node.test, self.imports)
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
            elif _is_self_attribute(value):
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


class CompiledScope:
    """The result of the pre-pass: functions, classes, imports and what gets compiled."""

    def __init__(
        self, module: cst.Module, path: Optional[str] = None, project: Optional["ProjectIndex"] = None,
        module_name: Optional[tuple[str, bool]] = None,
    ) -> None:
        self.path = path
        self.project = project
        self.module_name = module_name[0] if module_name else None
        collector = _Collector(ImportMap(self.module_name, bool(module_name and module_name[1]), project))
        walk(module, collector)
        self.imports: ImportMap = collector.imports
        self.functions = collector.functions
        self.module_functions = collector.module_functions
        self.classes = collector.classes
        for info in collector.all_classes:  # classes built inside factory functions
            self.classes.setdefault(info.name, info)
        self._collector = collector
        #: statements and blocks that run eagerly inside compiled functions (see _Collector)
        self.eager_nodes = collector.eager_nodes
        #: lambdas compiled code calls (``self.gate = lambda t: ...`` called from ``forward``)
        self.compiled_lambdas: set[cst.Lambda] = set()
        # name = torch.compile(other): the name keeps other's qualified name
        #: module-level names bound to ``torch.compile(...)`` results
        self.compiled_aliases: set[str] = set()
        for local, call in collector.module_aliases:
            if self.imports.resolve(call.func) in COMPILE_FUNCS:
                self.compiled_aliases.add(local)
                target = self.imports.resolve(call.args[0].value)
                if target is not None:
                    self.imports.add_alias(local, target)
        for local, values in collector.module_assigned.items():
            # loss_fn = F.cross_entropy: the name stands for the torch function
            if len(values) == 1 and local not in self.module_functions and local not in self.classes:
                functions = self.torch_functions(values[0])
                if functions is not None and len(functions) == 1:
                    self.imports.add_alias(local, functions[0])
        self._explicit_closure: Optional[set] = None
        self._classify_classes()
        self._find_roots()
        self._propagate()

    # classes ---------------------------------------------------------------------------
    def is_module_base(self, expr: cst.BaseExpression) -> bool:
        qn = self.imports.resolve(expr)
        if qn is not None and qn.startswith("torch.nn.") and qn.rsplit(".", 1)[1][:1].isupper():
            return True
        name = dotted_name(expr)
        if name in self.classes:
            return self.classes[name].is_module
        # a base class of another file of the project (``PreTrainedModel``)
        return qn is not None and self.project is not None and self.project.is_module_class(qn)

    def _classify_classes(self) -> None:
        changed = True
        while changed:
            changed = False
            for info in self.classes.values():
                if not info.is_module and any(self.is_module_base(b) for b in info.base_exprs):
                    info.is_module = True
                    changed = True
        conflicting: set[tuple[int, str]] = set()
        for cls, attr, value in self._collector.self_assignments:
            found = self._attribute_value(value)
            key = (id(cls), attr)
            if found is None:
                if not (isinstance(value, cst.Name) and value.value == "None"):
                    conflicting.add(key)
            elif key not in conflicting:
                previous = cls.attr_values.get(attr)
                if previous is not None and previous[0] != found[0]:
                    conflicting.add(key)
                    cls.attr_values.pop(attr, None)
                elif previous is None:
                    cls.attr_values[attr] = found
        for cls, call in self._collector.buffer_calls:
            if call.args and isinstance(call.args[0].value, cst.SimpleString):
                name = call.args[0].value.evaluated_value
                if (id(cls), name) not in conflicting:
                    cls.attr_values[name] = ("tensor", "a buffer")  # type: ignore[index]
        for cls, attr, value in self._collector.self_assignments:
            if _is_number(value) or (
                isinstance(value, cst.Call) and self.imports.resolve(value.func) in ("builtins.int", "builtins.float", "builtins.bool")
            ):
                cls.number_attrs.add(attr)
            if isinstance(value, cst.Call):
                qn = self.imports.resolve(value.func)
                if qn in ("torch.nn.Parameter", "torch.nn.parameter.Parameter", "torch.nn.Buffer"):
                    cls.tensor_attrs.add(attr)
                elif qn is not None and self.is_module_base(value.func):
                    cls.layer_attrs.add(attr)
                    cls.torch_layer_attrs.add(attr)
                elif dotted_name(value.func) in self.classes and self.classes[dotted_name(value.func)].is_module:  # type: ignore[index]
                    cls.layer_attrs.add(attr)
                elif qn is not None and is_tensor_function(qn):
                    cls.tensor_attrs.add(attr)
        for cls, call in self._collector.buffer_calls:
            if call.args and isinstance(call.args[0].value, cst.SimpleString):
                cls.tensor_attrs.add(call.args[0].value.evaluated_value)  # type: ignore[arg-type]

    def torch_functions(self, value: cst.BaseExpression) -> Optional[tuple[str, ...]]:
        """``torch.amax`` or ``torch.amax if c else torch.mean``: the torch functions (not
        classes) a value refers to, or None when it is anything else."""
        if isinstance(value, cst.IfExp):
            a, b = self.torch_functions(value.body), self.torch_functions(value.orelse)
            return a + b if a is not None and b is not None else None
        if not isinstance(value, (cst.Name, cst.Attribute)):
            return None
        qn = self.imports.resolve(value)
        if qn is None or not qn.startswith("torch.") or not qn.rsplit(".", 1)[-1][:1].islower():
            return None
        return (qn,)

    def _attribute_value(self, value: cst.BaseExpression) -> Optional[tuple[str, object]]:
        if _is_number(value):
            return ("number", None)
        functions = self.torch_functions(value)
        if functions is not None:
            return ("torch-function", functions)
        if not isinstance(value, cst.Call):
            return None
        qn = self.imports.resolve(value.func)
        if qn in ("builtins.int", "builtins.float", "builtins.bool"):
            return ("number", None)
        if qn in ("torch.nn.Parameter", "torch.nn.parameter.Parameter"):
            return ("tensor", "a Parameter")
        if qn == "torch.nn.Buffer":
            return ("tensor", "a buffer")
        if qn is not None and qn.startswith("torch.nn.") and self.is_module_base(value.func):
            return ("module", qn)
        name = dotted_name(value.func)
        if name in self.classes and self.classes[name].is_module:  # type: ignore[index]
            return ("module", self.classes[name])  # type: ignore[index]
        if qn is not None and is_tensor_function(qn):
            return ("tensor", f"assigned `{qn}()`")
        if qn is not None and self.project is not None and self.project.is_module_class(qn):
            return ("module", qn)
        return None

    def attribute_of(self, cls: ClassInfo, attr: str) -> Optional[tuple[str, ClassInfo, object]]:
        """What ``self.attr`` holds in ``cls`` (or an in-file base): (kind, owner, detail)."""
        for current in self.class_chain(cls):
            if attr in current.attr_values:
                kind, detail = current.attr_values[attr]
                return kind, current, detail
            if attr in current.methods:
                method = current.methods[attr]
                if any(isinstance(d, cst.Name) and d.value == "property" for d in method.decorators):
                    return None
                return "method", current, method
        return None

    def self_assigned(self, cls: ClassInfo, attr: str) -> list[cst.BaseExpression]:
        """Every value the methods of ``cls`` (not its bases) assign to ``self.attr``."""
        return [v for c, a, v in self._collector.self_assignments if c is cls and a == attr]

    def callee_of(self, call: cst.Call, within: Optional[FunctionInfo]) -> Optional[FunctionInfo]:
        """The file's own function a call runs: ``helper(...)`` or ``self.method(...)``."""
        func = call.func
        if isinstance(func, cst.Name):
            return self.lookup_function(func.value, within)
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self" and within:
            cls = within.cls or self.enclosing_class(within)
            if cls is not None:
                found = self.attribute_of(cls, func.attr.value)
                if found is not None and found[0] == "module" and isinstance(found[2], ClassInfo):
                    return self.method_of(found[2], "forward")  # self.layer(x): the layer's forward
                method = self.method_of(cls, func.attr.value)
                if method is not None:
                    return method
                held = self.attribute_callables(cls, func.attr.value)
                if len(held) == 1 and not self._binds_positional(cls, func.attr.value):
                    return held[0]  # self.act(x) with self.act = make_activation(...)
        return None

    def _binds_positional(self, cls: ClassInfo, attr: str) -> bool:
        """``self.attr = functools.partial(f, a, ...)``: positional arguments are pre-bound."""
        return any(isinstance(v, cst.Call) and self.imports.resolve(v.func) in PARTIALS and len(v.args) > 1
                   and v.args[1].keyword is None
                   for c, a, v in self._collector.self_assignments if a == attr)

    def module_assignments(self, name: str) -> list[cst.BaseExpression]:
        return self._collector.module_assigned.get(name, [])

    def is_disable_wrap(self, value: cst.BaseExpression) -> bool:
        """``torch.compiler.disable(fn)`` (or ``torch._dynamo.disable(fn, recursive=...)``): a
        callable that always runs eagerly."""
        return (isinstance(value, cst.Call) and bool(value.args)
                and self.imports.resolve(value.func) in DISABLE_DECORATORS)

    def disabled_name(self, name: str, within: Optional[FunctionInfo]) -> bool:
        """A plain name bound to a disabled callable: a function decorated with ``disable``, or a
        module-level name every assignment of which wraps one (``nms = torch.compiler.disable(f)``)."""
        callee = self.lookup_function(name, within)
        if callee is not None:
            return callee.disabled
        current = within
        while current is not None:
            if name in current.assigned or name in current.nested:
                return False  # a local of that name hides the module's
            current = current.parent
        values = self.module_assignments(name)
        return bool(values) and all(self.is_disable_wrap(v) for v in values)

    def disabled_method(self, cls: Optional[ClassInfo], attr: str) -> bool:
        """``self.attr`` is a disabled method of ``cls`` (decorated, or rebound in the class with
        ``self.attr = torch.compiler.disable(...)``)."""
        if cls is None:
            return False
        method = self.method_of(cls, attr)
        if method is not None and method.disabled:
            return True
        rebound = [v for c, a, v in self._collector.self_assignments if c is cls and a == attr]
        return bool(rebound) and all(self.is_disable_wrap(v) for v in rebound)

    def method_of(self, cls: ClassInfo, name: str) -> Optional[FunctionInfo]:
        """A method by name, looking through the class's in-file bases."""
        for current in self.class_chain(cls):
            if name in current.methods:
                return current.methods[name]
        return None

    def lookup_function(self, name: str, within: Optional[FunctionInfo]) -> Optional[FunctionInfo]:
        """A plain name as a function: nested in an enclosing function first, then module level."""
        current = within
        while current is not None:
            if name in current.nested:
                return current.nested[name]
            current = current.parent
        return self.module_functions.get(name)

    # roots -----------------------------------------------------------------------------
    def _mark(self, info: Optional[FunctionInfo], reason: str, role: str, explicit: bool = False) -> None:
        if info is None or info.disabled:
            return
        info.explicit = info.explicit or explicit
        if info.is_compiled:
            return
        info.compiled_reason = reason
        info.role = role

    def _find_roots(self) -> None:
        for info in self.functions.values():
            for dec in info.decorators:
                qn = self.imports.resolve(dec.func if isinstance(dec, cst.Call) else dec)
                if qn in DISABLE_DECORATORS:
                    info.disabled = True
        for info in self.functions.values():
            for dec in info.decorators:
                qn = self.imports.resolve(dec.func if isinstance(dec, cst.Call) else dec)
                if qn in COMPILE_FUNCS:
                    self._mark(info, f"decorated with @{qn}", "entry", explicit=True)
        self._project_roots()
        # A module's forward is taken as compiled (users compile models) except in data-loading
        # folders (transforms run in the input pipeline), in folders of code written for
        # torch.export (``_export/``, ``pt2e/``), and in classes that compile only one of their
        # own methods (``self.step = torch.compile(self.step)``: the rest runs eagerly). What
        # the project compiles explicitly is compiled wherever it lives.
        implicit = (self.path is None or not (is_data_path(self.path) or is_export_path(self.path))) and not (
            self.project is not None and self.module_name in self.project.templates)  # a code-generation source
        self_compiling = self._self_compiling_classes()
        for cls in self.classes.values():
            if (cls.is_module and implicit and cls not in self_compiling and not self._is_observer(cls)
                    and not self._forward_replaced(cls) and not self._compiled_in_part(cls)
                    and not self._is_loss(cls)):
                forward = self.method_of(cls, "forward")
                if forward is not None:
                    self._mark(forward, f"forward of nn.Module subclass {cls.name}", "entry")
        for name, within in self._collector.forward_assignments:
            self._mark(self.lookup_function(name, within), "assigned as a module's forward", "entry")
        if any(f.is_compiled for f in self.functions.values()):
            # forward hooks run inside the compiled module's call and are traced with it
            for hook, within in self._collector.hooks:
                for func in self.callables_of(hook, within):
                    self._mark(func, "registered as a forward hook of a module", "helper")
        for call, within in self._collector.candidate_calls:
            qn = self.imports.resolve(call.func)
            if qn in COMPILE_FUNCS and call.args:
                self._mark_compiled_arg(call.args[0].value, within)
            elif qn in MOD_TAKERS:
                for index, keyword in MOD_TAKERS[qn]:
                    arg = _argument(call, index, keyword)
                    if arg is not None:
                        kind = "score" if keyword == "score_mod" else "mask"
                        self._mark_mod(arg, within, f"{keyword} traced by {qn.rsplit('.', 1)[1]}", kind)
            elif qn in MASK_COMBINATORS:
                self._mark_mod(call, within, f"mask_mod combined by {qn.rsplit('.', 1)[1]}", "mask")
            else:
                # mask_mod=/score_mod= passed to any call (a project's own attention wrapper)
                for arg in call.args:
                    if arg.keyword is not None and arg.keyword.value in ("mask_mod", "score_mod"):
                        kind = "score" if arg.keyword.value == "score_mod" else "mask"
                        self._mark_mod(arg.value, within, f"passed as {arg.keyword.value}=", kind)
        # factories annotated to return a mod: def causal_window(n) -> _mask_mod_signature
        for info in self.functions.values():
            returns = info.node.returns
            qn = self.imports.resolve(returns.annotation) if returns is not None else None
            if qn in MOD_SIGNATURES:
                kind = "score" if "score" in qn else "mask"
                for name in info.returned_names:
                    nested = info.nested.get(name)
                    if nested is not None:
                        self._mark(nested, f"returned by {info.name}() -> {qn.rsplit('.', 1)[1]}", "mod")
                        nested.mod_kind = nested.mod_kind or kind

    def _project_roots(self) -> None:
        """What other files of the project compile: ``torch.compile(Model())`` in a script;
        and the functions compiled code of other files calls (``from .utils import helper``)."""
        if self.project is None or self.module_name is None:
            return
        for name, func in self.module_functions.items():
            how = self.project.reached.get(f"{self.module_name}.{name}")
            if how is not None:
                self._mark(func, how, "helper")
        if not self.project.compiled:
            return
        for name, cls in self.classes.items():
            where = self.project.compiled_where(f"{self.module_name}.{name}")
            if where is not None:
                self._mark(self.method_of(cls, "forward"), f"compiled at {where}", "entry", explicit=True)
            for method_name, method in cls.methods.items():
                where = self.project.compiled_where(f"{self.module_name}.{name}.{method_name}")
                if where is not None:
                    self._mark(method, f"compiled at {where}", "entry", explicit=True)
        for name, func in self.module_functions.items():
            where = self.project.compiled_where(f"{self.module_name}.{name}")
            if where is not None:
                self._mark(func, f"compiled at {where}", "entry", explicit=True)

    def _forward_elsewhere(self, cls: ClassInfo) -> bool:
        """What runs when the layer is called is not its own ``forward`` traced whole: a
        decorator replaced it, only some of its methods are compiled, or it only observes."""
        return (cls in self._self_compiling_classes() or self._is_observer(cls) or self._forward_replaced(cls)
                or self._compiled_in_part(cls))

    def _is_loss(self, cls: ClassInfo, depth: int = 0) -> bool:
        """A training objective (named ``...Loss``, or derived from torch.nn's ``_Loss``): trainers
        compile the model and call the loss eagerly on its outputs, unless the project compiles
        the loss itself (then the project index marks it)."""
        if self.project is not None and self.project.compiles_losses:
            return False  # the project compiles its losses: they are compiled code
        if cls.name.endswith("Loss") or depth > 8:
            return cls.name.endswith("Loss")
        if (depth == 0 and self.project is not None and self.module_name is not None
                and self.project.built_only_by_losses(f"{self.module_name}.{cls.name}")):
            return True  # part of a loss: built only by loss classes (a loss's target assigner)
        for base in cls.base_exprs:
            qn = self.imports.resolve(base)
            if qn in ("torch.nn.modules.loss._Loss", "torch.nn.modules.loss._WeightedLoss") or (
                qn is not None and qn.rsplit(".", 1)[-1].endswith("Loss")
            ):
                return True
            name = dotted_name(base)
            if name in self.classes and self._is_loss(self.classes[name], depth + 1):  # type: ignore[index]
                return True
        return False

    def _compiled_in_part(self, cls: ClassInfo) -> bool:
        """The project compiles only some methods of this class's instances (``if
        isinstance(loss, ChunkedLoss): loss.inner = torch.compile(loss.inner)``)."""
        return (self.project is not None and self.module_name is not None
                and f"{self.module_name}.{cls.name}" in self.project.partial)

    def _forward_replaced(self, cls: ClassInfo) -> bool:
        """Decorated with a project decorator that swaps in another ``forward`` (a dispatcher
        between implementations, as transformers' ``@use_experts_implementation``)."""
        if self.project is None or not self.project.forward_replacing:
            return False
        for decorator in cls.node.decorators:
            expr = decorator.decorator
            qn = self.imports.resolve(expr.func if isinstance(expr, cst.Call) else expr)
            if qn in self.project.forward_replacing:
                return True
        return False

    def _is_observer(self, cls: ClassInfo) -> bool:
        """A module that only records statistics: its forward returns its input unchanged on
        every path and updates its own state (quantization observers, calibration monitors).
        They run eagerly while calibrating, not as part of a compiled model."""
        forward = self.method_of(cls, "forward")
        if forward is None:
            return False
        params = [p.name.value for p in forward.node.params.params[1:]]
        if not params:
            return False
        finder = _ReturnsAndState()
        walk(forward.node.body, finder)
        return (
            bool(finder.returns)
            and all(isinstance(r, cst.Name) and r.value in params for r in finder.returns)
            and not (finder.rebound & set(params))
            and finder.updates_state
        )

    def _self_compiling_classes(self) -> set:
        found = set()
        for call, within in self._collector.candidate_calls:
            if within is None or not call.args or self.imports.resolve(call.func) not in COMPILE_FUNCS:
                continue
            arg = call.args[0].value
            if isinstance(arg, cst.Attribute) and isinstance(arg.value, cst.Name) and arg.value.value == "self":
                cls = within.cls or self.enclosing_class(within)
                if cls is not None:
                    found.add(cls)
        return found

    def _mark_compiled_arg(self, value: cst.BaseExpression, within: Optional[FunctionInfo]) -> None:
        reason = "passed to torch.compile"
        if isinstance(value, cst.Call):  # torch.compile(Block(...))
            value = value.func
            if isinstance(value, cst.Name) and value.value not in self.classes:
                # torch.compile(make_block(8)): the factory runs eagerly; the model it returns
                # (``return Block()``, a class of the file) is what is compiled
                factory = self.lookup_function(value.value, within)
                for name in factory.returned_calls if factory is not None else ():
                    if name in self.classes:
                        self._mark(self.method_of(self.classes[name], "forward"), reason, "entry", explicit=True)
                return
        if isinstance(value, cst.Name):
            if value.value in self.classes:
                self._mark(self.method_of(self.classes[value.value], "forward"), reason, "entry", explicit=True)
            else:
                self._mark(self.lookup_function(value.value, within), reason, "entry", explicit=True)
        elif isinstance(value, cst.Attribute) and isinstance(value.value, cst.Name):
            owner = value.value.value
            if owner == "self" and within is not None and within.cls is not None:
                self._mark(self.method_of(within.cls, value.attr.value), reason, "entry", explicit=True)
            elif owner in self.classes:
                self._mark(self.method_of(self.classes[owner], value.attr.value), reason, "entry", explicit=True)

    def _mark_mod(self, value: cst.BaseExpression, within: Optional[FunctionInfo], reason: str, kind: str) -> None:
        for func in self.functions_of(value, within):
            self._mark(func, reason, "mod")
            func.mod_kind = func.mod_kind or kind

    def functions_of(
        self, value: cst.BaseExpression, within: Optional[FunctionInfo], depth: int = 0
    ) -> list[FunctionInfo]:
        """The in-file functions an expression may evaluate to: a function's name, a variable
        assigned one (``mod = a if c else b``), the nested function a factory returns
        (``make_mask_mod(ids)``), the operands of ``and_masks``/``or_masks``."""
        if depth > 4:
            return []
        if isinstance(value, cst.Name):
            func = self.lookup_function(value.value, within)
            if func is not None:
                return [func]
            assigned = (within.assigned if within is not None else self._collector.module_assigned).get(value.value, [])
            return [f for v in assigned for f in self.functions_of(v, within, depth + 1)]
        if isinstance(value, cst.IfExp):
            return self.functions_of(value.body, within, depth + 1) + self.functions_of(value.orelse, within, depth + 1)
        if isinstance(value, cst.Subscript) and isinstance(value.value, cst.Name):
            # ACT2FN[name]: any function a module-level registry dict holds
            found = []
            for table in self.module_assignments(value.value.value):
                if isinstance(table, cst.Dict):
                    for element in table.elements:
                        if isinstance(element, cst.DictElement):
                            found += self.functions_of(element.value, None, depth + 1)
            return found
        if isinstance(value, cst.Call):
            qn = self.imports.resolve(value.func)
            if qn in MASK_COMBINATORS:
                return [f for a in value.args for f in self.functions_of(a.value, within, depth + 1)]
            if qn in PARTIALS and value.args:
                return self.functions_of(value.args[0].value, within, depth + 1)
            if isinstance(value.func, cst.Name):
                factory = self.lookup_function(value.func.value, within)
                if factory is not None:
                    return [factory.nested[n] for n in factory.returned_names if n in factory.nested]
        return []

    def callables_of(self, value: cst.BaseExpression, within: Optional[FunctionInfo]) -> list[FunctionInfo]:
        """``functions_of``, plus ``self.method`` and callables held in ``self`` attributes."""
        if _is_self_attribute(value) and within is not None:
            cls = within.cls or self.enclosing_class(within)
            if cls is None:
                return []
            attr = value.attr.value  # type: ignore[attr-defined]
            method = self.method_of(cls, attr)
            return [method] if method is not None else self.attribute_callables(cls, attr)
        return self.functions_of(value, within)

    def attribute_callables(self, cls: ClassInfo, attr: str) -> list[FunctionInfo]:
        """The file's functions a ``self.attr`` may hold: ``self.act = make_act(name)`` (the
        nested function the factory returns), ``self.fn = ACT2FN[name]``, ``functools.partial``;
        lambdas assigned there join ``compiled_lambdas`` when compiled code calls them."""
        found: list[FunctionInfo] = []
        classes = {id(c) for c in self.class_chain(cls)}
        for (owner, name, value), site in zip(self._collector.self_assignments, self._collector.self_assignment_sites):
            if name != attr or id(owner) not in classes:
                continue
            found += self.functions_of(value, site)
        return found

    def attribute_lambdas(self, cls: ClassInfo, attr: str) -> list[cst.Lambda]:
        classes = {id(c) for c in self.class_chain(cls)}
        return [value for owner, name, value in self._collector.self_assignments
                if name == attr and id(owner) in classes and isinstance(value, cst.Lambda)]

    def class_chain(self, cls: ClassInfo) -> list[ClassInfo]:
        """The class and its in-file bases, nearest first (the order lookups go in); computed
        once per class (the file's classes are all known when the scope is built)."""
        chains = self.__dict__.setdefault("_chains", {})
        found = chains.get(id(cls))
        if found is not None:
            return found
        out, stack, seen = [], [cls], set()
        while stack:
            current = stack.pop(0)
            if current.name in seen:
                continue
            seen.add(current.name)
            out.append(current)
            stack += [self.classes[n] for n in (dotted_name(b) for b in current.base_exprs) if n in self.classes]  # type: ignore[misc]
        chains[id(cls)] = out
        return out

    def _is_property(self, method: FunctionInfo) -> bool:
        for dec in method.decorators:
            qn = self.imports.resolve(dec)
            if qn in ("builtins.property", "functools.cached_property") or (isinstance(dec, cst.Name) and dec.value == "property"):
                return True
        return False

    def indirect_callees(self, info: FunctionInfo) -> list[tuple[FunctionInfo, str, str]]:
        """What ``info`` runs besides the functions it calls by name: (callee, how, role) for
        callables it passes to other calls (``checkpoint(self._ffn, x)``, ``vmap(f)``), callables
        held in ``self`` attributes it calls, properties it reads, ``Fn.apply`` of a custom
        ``autograd.Function``, ``__enter__``/``__exit__`` of its context managers, and the
        wrapper a decorator of its own puts around it."""
        out: list[tuple[FunctionInfo, str, str]] = []
        for name in info.passed_names:
            for func in self.functions_of(cst.Name(name), info):
                out.append((func, f"passed by {info.qualname} (compiled) to a call", "helper"))
        cls = info.cls or self.enclosing_class(info)
        if cls is not None:
            for attr in info.passed_self:
                for func in self.callables_of(cst.Attribute(cst.Name("self"), cst.Name(attr)), info):
                    out.append((func, f"passed by {info.qualname} (compiled) to a call", "helper"))
            for attr in info.called_methods:
                if self.method_of(cls, attr) is None:
                    for func in self.attribute_callables(cls, attr):
                        out.append((func, f"held in `self.{attr}`, called from {info.qualname} (compiled)", "helper"))
                    self.compiled_lambdas.update(self.attribute_lambdas(cls, attr))
            for attr in info.self_reads:
                method = self.method_of(cls, attr)
                if method is not None and self._is_property(method):
                    out.append((method, f"a property read by {info.qualname} (compiled)", "helper"))
        for name in info.applied:
            target = self.classes.get(name)
            if target is not None and any(self.imports.resolve(b) in AUTOGRAD_FUNCTIONS for b in target.base_exprs):
                forward = target.methods.get("forward")
                if forward is not None:
                    out.append((forward, f"`{name}.apply` called from {info.qualname} (compiled)", "helper"))
        for item in info.with_items:
            head = item.func if isinstance(item, cst.Call) else None
            if isinstance(head, cst.Name) and head.value in self.classes:
                for dunder in ("__enter__", "__exit__"):
                    method = self.method_of(self.classes[head.value], dunder)
                    if method is not None:
                        out.append((method, f"a context manager of {info.qualname} (compiled)", "helper"))
        for dec in info.decorators:
            if isinstance(dec, cst.Name):
                factory = self.lookup_function(dec.value, info.parent)
                if factory is not None:
                    for name in factory.returned_names:
                        wrapper = factory.nested.get(name)
                        if wrapper is not None:
                            out.append((wrapper, f"the wrapper @{dec.value} puts around {info.qualname} (compiled)",
                                        "entry" if info.role == "entry" else "helper"))
        return out

    # propagation -----------------------------------------------------------------------
    def _propagate(self) -> None:
        work = [f for f in self.functions.values() if f.is_compiled]
        while work:
            info = work.pop()
            callees: list[Optional[FunctionInfo]] = [self.lookup_function(n, info) for n in info.called_names]
            layers: list[Optional[FunctionInfo]] = []
            if info.cls is not None or (info.parent is not None and self.enclosing_class(info) is not None):
                cls = info.cls or self.enclosing_class(info)
                callees += [self.method_of(cls, m) for m in info.called_methods]  # type: ignore[arg-type]
                # self.criterion(...) where the attribute holds a layer defined in this file:
                # its forward runs inside the compiled code
                for m in info.called_methods:
                    found = self.attribute_of(cls, m)  # type: ignore[arg-type]
                    if (found is not None and found[0] == "module" and isinstance(found[2], ClassInfo)
                            and not self._forward_elsewhere(found[2])):
                        layers.append(self.method_of(found[2], "forward"))
            callees += list(info.nested.values())
            for callee in callees:
                if callee is not None and not callee.is_compiled and not callee.disabled:
                    role = "mod" if info.role == "mod" and callee.parent is info else "helper"
                    self._mark(callee, f"called from {info.qualname} (compiled)", role)
                    work.append(callee)
            for forward in layers:
                if forward is not None and not forward.is_compiled and not forward.disabled:
                    self._mark(forward, f"a layer called from {info.qualname} (compiled)", "entry")
                    work.append(forward)
            for callee, how, role in self.indirect_callees(info):
                if not callee.is_compiled and not callee.disabled:
                    self._mark(callee, how, role)
                    work.append(callee)

    def explicitly_compiled(self, info: Optional[FunctionInfo]) -> bool:
        """Whether ``info`` is reached from a function the file explicitly compiles (decorated
        with or passed to ``torch.compile``), through calls and nesting within the file."""
        if self._explicit_closure is None:
            reached = {f for f in self.functions.values() if f.explicit}
            work = list(reached)
            while work:
                current = work.pop()
                callees = [self.lookup_function(n, current) for n in current.called_names]
                cls = current.cls or self.enclosing_class(current)
                if cls is not None:
                    callees += [self.method_of(cls, m) for m in current.called_methods]
                callees += list(current.nested.values())
                for callee in callees:
                    if callee is not None and callee not in reached and not callee.disabled:
                        reached.add(callee)
                        work.append(callee)
            self._explicit_closure = reached
        return info is not None and info in self._explicit_closure

    def enclosing_class(self, info: FunctionInfo) -> Optional[ClassInfo]:
        while info.parent is not None:
            info = info.parent
        return info.cls

    def compiled_functions(self) -> list[FunctionInfo]:
        return [f for f in self.functions.values() if f.is_compiled]


class _ReturnsAndState(Visitor):
    """A function body's returned expressions, the names it rebinds, and whether it updates
    ``self`` (attribute assignments, in-place methods on attributes)."""

    def __init__(self) -> None:
        self.returns: list[Optional[cst.BaseExpression]] = []
        self.rebound: set[str] = set()
        self.updates_state = False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Return(self, node: cst.Return) -> None:
        self.returns.append(node.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._target(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._target(node.target)

    def _target(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            self.rebound.add(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._target(element.value)
        elif isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value == "self":
            self.updates_state = True

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value.endswith("_")
            and isinstance(func.value, cst.Attribute)
            and isinstance(func.value.value, cst.Name)
            and func.value.value.value == "self"
        ):
            self.updates_state = True  # self.min_val.copy_(...)


def _is_number(value: cst.BaseExpression) -> bool:
    if isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Minus):
        value = value.expression
    return isinstance(value, (cst.Integer, cst.Float)) or (isinstance(value, cst.Name) and value.value in ("True", "False"))


def _argument(call: cst.Call, index: int, keyword: str) -> Optional[cst.BaseExpression]:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if len(positional) > index:
        return positional[index].value
    return None


# names under torch whose call does not return a tensor
_NON_TENSOR_TORCH = frozenset(
    {
        "numel", "no_grad", "enable_grad", "inference_mode", "set_grad_enabled", "manual_seed",
        "device", "compile", "typename", "result_type", "promote_types", "can_cast",
        "broadcast_shapes", "use_deterministic_algorithms", "seed", "initial_seed", "dtype",
        "finfo", "iinfo", "autocast", "Size", "Generator", "vmap", "cond", "while_loop",
        "save", "load", "jit", "export", "cuda", "backends", "compiler", "distributed",
        "utils", "fx", "testing", "library", "profiler", "nn", "ops", "hub", "onnx",
        "sym_int", "sym_float", "sym_max", "sym_min", "sym_not", "chunk_size",
    }
)
_TENSOR_MODULES = (
    "torch.nn.functional.", "torch.linalg.", "torch.fft.", "torch.special.", "torch.nn.init.",
)


def is_tensor_function(qn: str) -> bool:
    """Whether calling ``qn`` returns a tensor (or, for flex_attention, normally does)."""
    if qn == FLEX_ATTENTION or qn == "torch.Tensor" or qn == "torch.nn.Parameter":
        return True
    if qn.startswith(_TENSOR_MODULES):
        return True
    if qn.startswith("torch.") and qn.count(".") == 1:
        name = qn[len("torch.") :]
        if name in _NON_TENSOR_TORCH or name.startswith(("is_", "get_", "set_", "_")):
            return False
        return name[:1].islower()
    return False


def _is_self_attribute(value: cst.BaseExpression) -> bool:
    return isinstance(value, cst.Attribute) and isinstance(value.value, cst.Name) and value.value.value == "self"
