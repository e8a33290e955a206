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

import re
from typing import Optional

import libcst as cst

from compile_audit.analysis.collector import Collector, is_self_attribute
from compile_audit.analysis.definitions import ClassInfo, FunctionInfo
from compile_audit.analysis.names import ImportMap, dotted_name
from compile_audit.analysis.paths import is_data_path, is_export_path
from compile_audit.analysis.torchapi import (
    AUTOGRAD_FUNCTIONS, COMPILE, DISABLE, MASK_COMBINATORS, OPAQUE, MOD_SIGNATURES, MOD_TAKERS, argument, is_tensor_function,
)
from compile_audit.analysis.traced import CODE_WORDS
from compile_audit.analysis.walk import Visitor, walk

PARTIALS = frozenset({"functools.partial"})

def may_hold_compiled_code(text: str, project, module: str, words: Optional[str] = None) -> bool:
    """Whether ``CompiledScope`` may find compiled code in the file, decided before libcst parses
    it: its code names what one of its own roots needs (``traced.CODE_WORDS``: a ``forward``, a
    compile, FlexAttention's mods), as ``words`` says when the project index parsed these very
    bytes (the identifiers of the code, comments and docstrings aside), else as the text says;
    or it defines a function or method that another file of the project compiles or calls from
    compiled code. False means the file has no compiled function, so no rule of the "compiled"
    scope can fire in it."""
    if CODE_WORDS.search(words if words is not None else text) is not None:
        return True
    names = project.touched_names(module)
    return bool(names) and re.search(r"def\s+(?:%s)\b" % "|".join(map(re.escape, sorted(names))), text) is not None


class CompiledScope:
    """The result of the pre-pass: functions, classes, imports and what gets compiled."""

    def __init__(
        self, module: cst.Module, path: Optional[str] = None, project=None,
        module_name: Optional[tuple[str, bool]] = None,
    ) -> None:
        self.path = path
        self.project = project
        self.module_name = module_name[0] if module_name else None
        collector = Collector(ImportMap(self.module_name, bool(module_name and module_name[1]), project))
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
            if self.imports.resolve(call.func) in COMPILE:
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
        self._assumed_closure: Optional[set] = None
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

    def _stores(self, attr: str, owner: Optional[ClassInfo] = None) -> list[tuple[ClassInfo, cst.BaseExpression, FunctionInfo]]:
        """The ``self.attr`` stores of the file, as (class, value, method): of one class, or of
        every class. Tables built once per file, so that a lookup costs the stores it returns,
        not the file's (classes of one file share attribute names: ``self.proj``)."""
        tables = self.__dict__.get("_stores_by_attr")
        if tables is None:
            tables = ({}, {}, {})
            for i, ((cls, name, value), site) in enumerate(zip(self._collector.self_assignments,
                                                                self._collector.self_assignment_sites)):
                tables[2][id(value)] = i
                tables[0].setdefault(name, []).append((cls, value, site))
                tables[1].setdefault((id(cls), name), []).append((cls, value, site))
            self.__dict__["_stores_by_attr"] = tables
        return tables[0].get(attr, []) if owner is None else tables[1].get((id(owner), attr), [])

    def _chain_stores(self, cls: ClassInfo, attr: str) -> list[tuple[ClassInfo, cst.BaseExpression, FunctionInfo]]:
        """The ``self.attr`` stores of the class and its in-file bases, in file order."""
        chain = self.class_chain(cls)
        if len(chain) == 1:
            return self._stores(attr, cls)
        self._stores(attr)  # the tables exist
        order = self.__dict__["_stores_by_attr"][2]
        return sorted((store for c in chain for store in self._stores(attr, c)), key=lambda store: order[id(store[1])])

    def self_assigned(self, cls: ClassInfo, attr: str) -> list[cst.BaseExpression]:
        """Every value the methods of ``cls`` (not its bases) assign to ``self.attr``."""
        return [v for _, v, _ in self._stores(attr, cls)]

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
                   for _, v, _ in self._stores(attr))

    def module_assignments(self, name: str) -> list[cst.BaseExpression]:
        return self._collector.module_assigned.get(name, [])

    def is_disable_wrap(self, value: cst.BaseExpression) -> bool:
        """``torch.compiler.disable(fn)`` (or ``torch._dynamo.disable(fn, recursive=...)``): a
        callable that always runs eagerly."""
        return (isinstance(value, cst.Call) and bool(value.args)
                and self.imports.resolve(value.func) in DISABLE)

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
        rebound = [v for _, v, _ in self._stores(attr, cls)]
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
        if info is None or info.disabled or info.opaque:
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
                if qn in DISABLE:
                    info.disabled = True
                elif qn in OPAQUE:
                    info.opaque = True
        for info in self.functions.values():
            for dec in info.decorators:
                qn = self.imports.resolve(dec.func if isinstance(dec, cst.Call) else dec)
                if qn in COMPILE:
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
            if qn in COMPILE and call.args:
                self._mark_compiled_arg(call.args[0].value, within)
            elif qn in MOD_TAKERS:
                for index, keyword in MOD_TAKERS[qn]:
                    arg = argument(call, index, keyword)
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
        for name, cls in self.classes.items():
            for method_name, method in cls.methods.items():
                how = self.project.reached.get(f"{self.module_name}.{name}.{method_name}")
                if how is not None:
                    self._mark(method, how, "helper")
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
            if within is None or not call.args or self.imports.resolve(call.func) not in COMPILE:
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
        if is_self_attribute(value) and within is not None:
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
        stores = self._chain_stores(cls, attr)
        for _, value, site in stores:
            found += self.functions_of(value, site)
        return found

    def attribute_lambdas(self, cls: ClassInfo, attr: str) -> list[cst.Lambda]:
        return [value for _, value, _ in self._chain_stores(cls, attr) if isinstance(value, cst.Lambda)]

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
            self._explicit_closure = self._closure({f for f in self.functions.values() if f.explicit})
        return info is not None and info in self._explicit_closure

    def _closure(self, start: set, skip=None) -> set:
        """``start`` and what it calls within the file (functions by name, methods on ``self``,
        nested definitions), disabled functions and those ``skip`` names aside."""
        reached = set(start)
        work = list(reached)
        while work:
            current = work.pop()
            callees = [self.lookup_function(n, current) for n in current.called_names]
            cls = current.cls or self.enclosing_class(current)
            if cls is not None:
                callees += [self.method_of(cls, m) for m in current.called_methods]
            callees += list(current.nested.values())
            for callee in callees:
                if callee is not None and callee not in reached and not callee.disabled \
                        and not (skip is not None and skip(callee)):
                    reached.add(callee)
                    work.append(callee)
        return reached

    def assumed(self, info: Optional[FunctionInfo]) -> Optional[str]:
        """In a project that compiles explicitly (``torch.compile(block)``, ``@torch.compile``),
        code taken as compiled only because it is a module's ``forward`` (or what such a forward
        calls in this file) that nothing the project compiles reaches: where the project does
        compile (a sentence), else None."""
        if info is None or self.project is None or not self.project.compiled or self.explicitly_compiled(info):
            return None
        if self._assumed_closure is None:
            self._assumed_closure = self._closure(
                {f for f in self.functions.values() if (f.compiled_reason or "").startswith("forward of nn.Module subclass")},
                skip=lambda callee: "in another file" in (callee.compiled_reason or ""))
        if info not in self._assumed_closure:
            return None
        name, entry = min(self.project.compiled.items(), key=lambda item: (len(item[1].via), item[0]))
        return f"`{name.rsplit('.', 1)[-1]}` (at {entry.text()})"

    def enclosing_class(self, info: FunctionInfo) -> Optional[ClassInfo]:
        while info.parent is not None:
            info = info.parent
        return info.cls

    def compiled_functions(self) -> list[FunctionInfo]:
        return [f for f in self.functions.values() if f.is_compiled]

    def leads_to_compiled(self) -> set[int]:
        """The ids of the class and function definitions that are compiled or hold compiled code
        (a compiled function or lambda somewhere inside): a walk that only serves rules of the
        "compiled" scope enters these and skips every other definition whole."""
        found = self.__dict__.get("_leads")
        if found is None:
            found = set()
            enclosing = self._collector.enclosing
            for info in self.compiled_functions():
                found.add(id(info.node))
                found.update(id(outer) for outer in enclosing.get(id(info.node), ()))
            for node in self.compiled_lambdas:
                found.update(id(outer) for outer in enclosing.get(id(node), ()))
            self.__dict__["_leads"] = found
        return found


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
