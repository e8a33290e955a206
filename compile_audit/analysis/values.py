"""What each name holds: a flow-sensitive model of the values in compiled functions.

For every function the rules look into, the statements are executed abstractly in order: an
environment maps each local name to a :class:`Value` (a Tensor, a Python number or bool, a
string, ``None``, a container, a ``torch.Size``, a layer, a function, some other known object,
or *unknown*), branches are joined where they meet, loops run until their head is stable,
``isinstance``/``is None`` tests narrow the names they test, and ``return``/``raise``/``break``
end a path. Every statement records the environment that reaches it, so a rule asking about
``mask`` at line 50 gets the definitions that reach line 50, not every assignment in the
function.

*Unknown* is a first-class answer and never counts as a Tensor: a rule fires on a value only
when the model believes it is one, and every Tensor value carries its evidence (``assigned
`x.ne(0)` at line 41``, ``parameter annotated `Tensor```) for the finding's message.

What torch's functions, tensor methods and ``nn`` layers return comes from a table generated
from the stubs of a torch release (``compile_audit/analysis/torch_types``); what the project's own
functions return, from their annotations or, unannotated, from their ``return`` statements.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Iterable, Optional

import libcst as cst

from compile_audit.analysis.scope import dynamo_constant, fold_test
from compile_audit.analysis.walk import children
from compile_audit.analysis.torch_types import TorchTypes

if TYPE_CHECKING:  # pragma: no cover
    from compile_audit.analysis.scope import CompiledScope, FunctionInfo


@dataclass(frozen=True)
class Value:
    #: tensor, number, str, none, container, shape, module, function, object, unknown
    kind: str = "unknown"
    #: why the model believes it (for tensors: the evidence shown in findings)
    why: str = ""
    #: the node the evidence points at (its line is shown)
    node: Optional[cst.CSTNode] = None
    #: the name the belief is about
    subject: Optional[str] = None
    #: containers: the element (or the value, for dicts), the key, the fixed items of a tuple
    elem: Optional["Value"] = None
    key: Optional["Value"] = None
    items: Optional[tuple["Value", ...]] = None
    #: tensors: a boolean tensor (a comparison, a mask)
    boolean: bool = False
    #: tensors: may also be None (``Optional[Tensor]``, a None default)
    optional: bool = False
    #: tensors: the call that produced the value, when it was assigned straight from one whose
    #: result is certainly a Tensor (torch functions and methods, torch.nn layers)
    producer: Optional[cst.Call] = None
    #: modules: the qualified name of the layer's class (``torch.nn.Linear``) or a ClassInfo
    layer: object = None
    #: an assumption rather than a fact (an unannotated parameter taken as a Tensor)
    assumed: bool = False
    #: known from torch's own signatures (a torch function, a tensor method, a torch.nn layer)
    certain: bool = False
    #: unknown values from a ``Union[...]`` annotation: the alternatives, for ``isinstance``
    options: Optional[tuple["Value", ...]] = None
    #: a Python constant known on this path ("True", "False"): a flag a caller passes
    literal: Optional[str] = None
    #: tensors: an accumulator (``total = 0.0`` then ``total += t``): it stays a Tensor where the
    #: path that never added to it meets one that did (the loop over layers runs)
    accumulated: bool = False

    @property
    def is_tensor(self) -> bool:
        return self.kind == "tensor"


UNKNOWN = Value()
#: what a test told of the object's state: ``self.merged`` is true / false on this path
TRUTHY = Value("truth", why="true")
FALSY = Value("truth", why="false")
NUMBER = Value("number")
STR = Value("str")
NONE = Value("none")
OBJECT = Value("object")

SCALAR_ATTRS = {
    "ndim": "number", "is_cuda": "number", "is_cpu": "number", "is_sparse": "number", "is_quantized": "number",
    "is_meta": "number", "requires_grad": "number", "is_leaf": "number", "itemsize": "number", "nbytes": "number",
    "is_nested": "number", "is_mps": "number", "output_nr": "number", "_version": "number",
    "shape": "shape", "dtype": "object", "device": "object", "layout": "object", "names": "container",
    "grad_fn": "object",
}
TENSOR_ATTRS = frozenset({"T", "mT", "H", "mH", "data", "grad", "real", "imag"})
NUMBER_BUILTINS = frozenset({"len", "int", "float", "bool", "round", "hash", "id", "ord", "isinstance", "issubclass",
                             "callable", "hasattr", "divmod", "pow"})
CONTAINER_BUILTINS = frozenset({"list", "tuple", "sorted", "set", "frozenset", "reversed"})
STR_BUILTINS = frozenset({"str", "repr", "format", "chr", "ascii", "hex", "oct", "bin"})
BOOLEAN_METHODS = frozenset({"bool", "eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or", "logical_not",
                             "logical_xor", "isnan", "isinf", "isfinite", "isclose", "isneginf", "isposinf",
                             "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "isin", "signbit"})
TUPLE_OPTIONS = ("return_lse", "return_aux")
FLEX_ATTENTION = "torch.nn.attention.flex_attention.flex_attention"
_LOOP_PASSES = 3

Env = dict


def join(a: Optional[Value], b: Optional[Value]) -> Optional[Value]:
    """The value a name holds where two paths meet (None: the path does not reach here)."""
    if a is None:
        return b
    if b is None or a is b:
        return a
    if a.kind == "truth" or b.kind == "truth":
        return UNKNOWN  # true on one path, false on the other
    if a.kind == b.kind:
        if a.kind == "tensor":
            if a.producer is not None and b.producer is not None and a.producer is not b.producer:
                a = replace(a, producer=None)
            return replace(a, boolean=a.boolean and b.boolean, optional=a.optional or b.optional,
                           assumed=a.assumed and b.assumed, producer=a.producer if b.producer is a.producer else None)
        if a.kind == "container":
            items = a.items if a.items is not None and b.items is not None and len(a.items) == len(b.items) else None
            if items is not None:
                items = tuple(join(x, y) or UNKNOWN for x, y in zip(a.items, b.items))  # type: ignore[arg-type]
            return Value("container", elem=_join_opt(a.elem, b.elem), key=_join_opt(a.key, b.key), items=items)
        if a.kind == "module" and a.layer is not b.layer:
            return Value("module")
        if a.literal != b.literal:
            return replace(a, literal=None)
        return a
    if {a.kind, b.kind} == {"tensor", "number"}:
        tensor = a if a.kind == "tensor" else b
        return tensor if tensor.accumulated else UNKNOWN
    if a.kind == "none" and b.kind in ("tensor", "number", "str", "container", "object", "module"):
        return replace(b, optional=True) if b.kind == "tensor" else b
    if b.kind == "none" and a.kind in ("tensor", "number", "str", "container", "object", "module"):
        return replace(a, optional=True) if a.kind == "tensor" else a
    return UNKNOWN


def _join_opt(a: Optional[Value], b: Optional[Value]) -> Optional[Value]:
    if a is None or b is None:
        return None
    return join(a, b)


def join_envs(envs: Iterable[Optional[Env]]) -> Optional[Env]:
    live = [e for e in envs if e is not None]
    if not live:
        return None
    if len(live) == 1:
        return dict(live[0])
    names = set().union(*live)
    out: Env = {}
    for name in names:
        value: Optional[Value] = None
        missing = False
        for env in live:
            if name in env:
                value = join(value, env[name]) if value is not None else env[name]
            else:
                missing = True
        # bound on one path only: whatever it held before (unknown to us) on the other
        out[name] = UNKNOWN if missing and value is not None and value.kind != "tensor" else (value or UNKNOWN)
        if missing and value is not None and value.kind == "tensor":
            out[name] = value
    return out


def describe(value: Value, positions, at_line: int) -> str:
    """The belief a finding rests on, for its message: "`mask` holds a Tensor: assigned
    `x.ne(0)` at line 41"."""
    where = positions.get(value.node) if value.node is not None else None
    line = f" at line {where.start.line}" if where is not None and where.start.line != at_line else ""
    if value.subject:
        return f"`{value.subject}` holds a Tensor: {value.why or 'a tensor expression'}{line}"
    return f"{value.why or 'a tensor expression'}{line}"


class code:  # noqa: N801 - used like a function: code(node) in an f-string
    """The source of a node, shortened, rendered only when a message needs it (generating code
    for every assignment the value model explains would cost more than the analysis)."""

    __slots__ = ("node", "limit")
    _empty = cst.Module(body=[])

    def __init__(self, node: cst.CSTNode, limit: int = 40) -> None:
        self.node = node
        self.limit = limit

    def __str__(self) -> str:
        text = " ".join(self._empty.code_for_node(self.node).strip().split())
        return text if len(text) <= self.limit else text[: self.limit - 3] + "..."

    __format__ = lambda self, spec: format(str(self), spec)  # noqa: E731

    def __eq__(self, other: object) -> bool:
        return isinstance(other, code) and other.node is self.node

    def __hash__(self) -> int:
        return id(self.node)


class Why:
    """A reason with placeholders for source code, rendered lazily: ``Why("assigned `{}`", expr)``."""

    __slots__ = ("template", "parts")

    def __init__(self, template: str, *parts: object) -> None:
        self.template = template
        self.parts = parts

    def __str__(self) -> str:
        return self.template.format(*(str(p) for p in self.parts))

    def __contains__(self, text: str) -> bool:
        return text in str(self)

    def __bool__(self) -> bool:
        return True

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Why):
            return self.template == other.template and self.parts == other.parts
        return isinstance(other, str) and str(self) == other

    def __hash__(self) -> int:
        return hash(self.template)


def from_descriptor(d: Optional[list]) -> Value:
    """A value from a project index type descriptor (``compile_audit.analysis.project``)."""
    if not d:
        return UNKNOWN
    kind = d[0]
    if kind == "tensor":
        return Value("tensor", optional="optional" in d[1:])
    if kind in ("number", "str", "none"):
        return Value(kind)
    if kind == "container":
        elem, key, items = d[1], d[2], d[3]
        return Value("container", elem=from_descriptor(elem) if elem else None, key=from_descriptor(key) if key else None,
                     items=tuple(from_descriptor(i) for i in items) if items is not None else None)
    if kind == "union":
        options = tuple(from_descriptor(o) for o in d[1])
        real = [o for o in options if o.kind != "none"]
        if len(real) == 1:
            return replace(real[0], optional=True) if real[0].kind == "tensor" else real[0]
        return Value("unknown", options=options)
    return UNKNOWN


class Flow:
    """One function, executed abstractly: the environment before each statement, and the
    values its ``return`` statements give."""

    def __init__(self) -> None:
        self.before: dict[cst.CSTNode, Env] = {}
        self.returns: Optional[Value] = None
        self.returned = False
        #: the environment at each nested def (what a closure captures)
        self.at_def: dict[cst.FunctionDef, Env] = {}
        #: (call, callee, argument values) for calls to the file's own functions
        self.calls: list[tuple[cst.Call, "FunctionInfo", list[tuple[str, Value]]]] = []


class ValueModel:
    def __init__(self, scope: "CompiledScope", torch_types: Optional[TorchTypes] = None) -> None:
        self.scope = scope
        self.types = torch_types or TorchTypes.load()
        self._flows: dict["FunctionInfo", Flow] = {}
        self._busy: set["FunctionInfo"] = set()
        self._hints: dict["FunctionInfo", dict[str, Value]] = {}
        self._numbers: dict["FunctionInfo", set] = {}
        #: methods compiled code calls only under a test of the object's state that the method
        #: itself changes (``if self.merged: self.unmerge()``) -> why: they run once per change
        self.one_shot: dict["FunctionInfo", str] = {}
        self._dead: Optional[set] = None
        self._solved = False

    # -- the questions rules ask ------------------------------------------------------------
    def value(self, expr: cst.BaseExpression, func: Optional["FunctionInfo"], ancestors: list,
              bindings: Optional[dict] = None) -> Value:
        """What ``expr`` holds at the statement ``ancestors`` ends in; ``bindings`` adds names
        (a lambda's parameter bound to what it will be called with)."""
        if func is None:
            return UNKNOWN
        flow = self.flow(func)
        env = None
        for node in reversed(ancestors):
            env = flow.before.get(node)
            if env is not None:
                break
            if node is func.node:
                break
        if env is None:
            return UNKNOWN
        if bindings:
            env = {**env, **bindings}
        return _Evaluator(self, func, env).value(expr)

    @staticmethod
    def element(value: Value) -> Value:
        """What iterating over (or unpacking) ``value`` gives."""
        return _element(value)

    def flow(self, func: "FunctionInfo") -> Flow:
        if not self._solved:
            self._solve()
        return self._flow(func)

    def returns(self, func: "FunctionInfo") -> Value:
        """What calling ``func`` gives: its return annotation, else its return statements."""
        node = func.node
        if node.returns is not None:
            annotated = self.annotation(node.returns.annotation)
            if annotated.kind != "unknown":
                return replace(annotated, why=Why("`{}()` is annotated `-> {}`", func.name, code(node.returns.annotation)),
                               node=node)
        if func in self._busy or any(isinstance(d, cst.Name) and d.value == "property" for d in func.decorators):
            return UNKNOWN
        flow = self._flow(func)
        if not flow.returned:
            return NONE
        value = flow.returns or UNKNOWN
        if value.kind == "tensor":
            return replace(value, why=f"`{func.name}()` returns a Tensor", node=func.node, subject=None,
                           producer=None)
        return value

    # -- analysis -----------------------------------------------------------------------------
    def _flow(self, func: "FunctionInfo") -> Flow:
        flow = self._flows.get(func)
        if flow is None:
            self._busy.add(func)
            try:
                flow = Flow()
                env = self._parameters(func)
                _Executor(self, func, flow).block(func.node.body, env)
            finally:
                self._busy.discard(func)
            self._flows[func] = flow
        return flow

    def _solve(self) -> None:
        """What compiled functions pass to the file's own functions, methods and layers makes
        the callee's parameters known (a Tensor, or a Python int that an unannotated parameter
        would otherwise be taken as a Tensor for); iterate (bounded) until no hint changes."""
        self._solved = True
        compiled = self.scope.compiled_functions()
        for _ in range(3):
            seen: dict["FunctionInfo", dict[str, Value]] = {}
            sites: dict["FunctionInfo", int] = {}
            state: dict["FunctionInfo", dict[str, list]] = {}
            for func in compiled:
                for call, callee, args in self._flow(func).calls:
                    hints = seen.setdefault(callee, {})
                    sites[callee] = sites.get(callee, 0) + 1
                    for name, value in args:
                        if name.startswith("self."):
                            state.setdefault(callee, {}).setdefault(name, []).append(value)
                            continue
                        if value.kind == "tensor":
                            value = replace(value, why=Why("`{}` passes it `{}`", func.name, code(call)), node=call,
                                            subject=name, producer=None)
                        hints[name] = join(hints[name], value) if name in hints else value  # type: ignore[assignment]
            for callee, hints in seen.items():
                if "*" in hints:  # some caller passes *args/**kwargs: no flag is known
                    for name in [n for n, v in hints.items() if v.literal is not None]:
                        hints[name] = replace(hints[name], literal=None)
                # a public function or method may be called from other files of the project:
                # a flag another file passes as a variable is not a constant
                for name in [n for n, v in hints.items() if v.literal is not None]:
                    if self._varied_elsewhere(callee, name):
                        hints[name] = replace(hints[name], literal=None)
            for callee, facts in state.items():
                for key, values in facts.items():
                    if len(values) == sites[callee] and all(v is values[0] for v in values):
                        seen[callee][key] = values[0]
            changed = {f: {n: (v.kind, v.literal) for n, v in h.items()} for f, h in seen.items()} != {
                f: {n: (v.kind, v.literal) for n, v in h.items()} for f, h in self._hints.items()}
            self._hints = seen
            if not changed:
                break
            self._flows.clear()
        for callee, hints in self._hints.items():
            for key, value in hints.items():
                if key.startswith("self.") and value.kind == "truth" and self._changes_state(callee, key[5:]):
                    self.one_shot[callee] = (f"compiled code calls `{callee.name}()` only while `{key}` is "
                                             f"{value.why}, and `{callee.name}()` changes it: it runs once per change")
                    break

    def _varied_elsewhere(self, callee: "FunctionInfo", param: str) -> bool:
        project = self.scope.project
        if project is None or callee.name.startswith("_"):
            return False
        params = [p.name.value for p in callee.node.params.params]
        if params and params[0] in ("self", "cls") and callee.cls is not None:
            params = params[1:]
        position = params.index(param) if param in params else None
        return project.passes_variable(callee.name, param, position)

    def dead_helpers(self) -> set:
        """Helpers the scope takes as compiled only because compiled code names them, where
        every such mention sits in a statement the value model proves never runs under
        Dynamo (``if strict_maxima_bonus is not None: _warn_deprecated()`` with the argument
        left at None by every compiled caller)."""
        if self._dead is not None:
            return self._dead
        self._dead = set()
        if not self._solved:
            self._solve()
        helpers = {f for f in self.scope.compiled_functions()
                   if f.role == "helper" and f.parent is None and not f.explicit and not f.disabled}
        if not helpers:
            return self._dead
        live: set = set()
        mentioned: set = set()
        for func in self.scope.compiled_functions():
            flow = self._flow(func)
            for node, statement in _mentions(func.node.body):
                for target in self._mentioned(node, func, helpers):
                    mentioned.add(target)
                    if statement is None or statement in flow.before:
                        live.add((func, target))
        # live mentions from helpers that are themselves dead do not count (bounded fixpoint)
        dead = {h for h in helpers if h in mentioned}
        for _ in range(4):
            alive = {t for (f, t) in live if f not in dead}
            new_dead = {h for h in helpers if h in mentioned and h not in alive}
            if new_dead == dead:
                break
            dead = new_dead
        self._dead = dead
        return dead

    def _mentioned(self, node: cst.CSTNode, within: "FunctionInfo", helpers: set) -> list:
        if isinstance(node, cst.Name):
            found = self.scope.lookup_function(node.value, within)
            return [found] if found in helpers else []
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self":
            cls = within.cls or self.scope.enclosing_class(within)
            found = self.scope.method_of(cls, node.attr.value) if cls is not None else None
            return [found] if found in helpers else []
        return []

    def _changes_state(self, func: "FunctionInfo", attr: str) -> bool:
        """Whether ``func`` changes what ``self.<attr>`` tells: it stores the attribute, or
        mutates one that the property ``attr`` reads (``merged`` -> ``bool(self.merged_adapters)``)."""
        watched = {attr}
        cls = func.cls
        if cls is not None:
            prop = cls.methods.get(attr)
            if prop is not None and any(_decorator_short(d) in ("property", "cached_property") for d in prop.decorators):
                watched.update(n.attr.value for n in _shallow_nodes(prop.node.body, cst.Attribute)
                               if isinstance(n.value, cst.Name) and n.value.value == "self")
            else:
                project, module = self.scope.project, self.scope.module_name
                reads = project.property_reads(f"{module}.{cls.name}", attr) if project and module else None
                watched.update(reads or ())
        for node in _shallow_nodes(func.node.body, cst.CSTNode):
            targets: list = []
            if isinstance(node, cst.Assign):
                targets = [t.target for t in node.targets]
            elif isinstance(node, (cst.AugAssign, cst.AnnAssign)):
                targets = [node.target]
            elif isinstance(node, cst.Del):
                targets = [node.target]
            elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in MUTATORS:
                targets = [node.func.value]
            for target in targets:
                while isinstance(target, cst.Subscript):
                    target = target.value
                key = _state_key(target)
                if key is not None and key[5:] in watched:
                    return True
        return False

    def missing_attribute(self, func: Optional["FunctionInfo"], test: cst.BaseExpression) -> Optional[str]:
        """The ``self`` attribute a test reads on the way to being true that no instance of the
        class can have (nothing in the project stores it): the test raises instead."""
        project, module = self.scope.project, self.scope.module_name
        if func is None or project is None or module is None:
            return None
        cls = func.cls or self.scope.enclosing_class(func)
        if cls is None or cls.name not in self.scope.classes:
            return None
        for leaf in _truthy_reads(test):
            key = _state_key(leaf)
            if key is not None and project.never_stored(f"{module}.{cls.name}", key[5:], self.types.module_attributes):
                return key
        return None

    def reachable(self, func: Optional["FunctionInfo"], ancestors: list) -> bool:
        """Whether the statement being visited can run at all (after a ``return``, in the
        branch of an ``isinstance`` test that the value's known type rules out, it cannot)."""
        if func is None:
            return True
        flow = self.flow(func)
        outer: Optional["FunctionInfo"] = func
        while outer is not None:
            if outer in self.one_shot or outer in self.dead_helpers():
                return False
            outer = outer.parent
        for node in reversed(ancestors):
            if node is func.node:
                return True
            if isinstance(node, (cst.BaseSmallStatement, cst.BaseCompoundStatement, cst.SimpleStatementLine)):
                return node in flow.before
        return True

    def _parameters(self, func: "FunctionInfo") -> Env:
        params = func.node.params
        every = list(params.posonly_params) + list(params.params) + list(params.kwonly_params)
        env: Env = {}
        if every and (func.is_method or func.role == "entry") and not _is_staticmethod(func) and every[0].name.value in ("self", "cls"):
            env[every[0].name.value] = Value("object", subject=every[0].name.value)
            every = every[1:]
        hints = self._hints.get(func, {})
        for param in every:
            name = param.name.value
            env[name] = self._parameter(func, param, hints.get(name))
        env.update((key, value) for key, value in hints.items() if key.startswith("self."))
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                env[star.name.value] = Value("container", subject=star.name.value)
        if isinstance(params.star_kwarg, cst.Param) and "*" not in hints:
            # **kwargs: what compiled callers pass by keywords no parameter takes
            named = {p.name.value for p in list(params.posonly_params) + list(params.params) + list(params.kwonly_params)}
            extra = [v for k, v in hints.items() if k not in named and not k.startswith("self.")]
            if extra:
                elem: Optional[Value] = None
                for v in extra:
                    elem = join(elem, v) if elem is not None else v
                env[params.star_kwarg.name.value] = Value("container", subject=params.star_kwarg.name.value,
                                                          elem=elem, key=STR)
        if func.parent is not None:
            # a closure sees its parent's names as they were at its def
            parent_flow = self._flows.get(func.parent)
            if parent_flow is None and func.parent not in self._busy:
                parent_flow = self._flow(func.parent)
            captured = parent_flow.at_def.get(func.node, {}) if parent_flow else {}
            for name, value in captured.items():
                env.setdefault(name, value)
        return env

    def _parameter(self, func: "FunctionInfo", param: cst.Param, hint: Optional[Value]) -> Value:
        name = param.name.value
        if hint is None:
            hint = self._left_at_default(func, param)
        if hint is not None and hint.literal is not None and not (hint.kind == "none" and func.role == "entry"):
            # a flag every compiled caller leaves at (or passes as) a constant; an optional
            # argument left at None counts for helpers only (an entry point, such as a layer's
            # forward, is also called by whoever compiles it)
            return hint
        if func.role == "mod":
            return Value("tensor", why=f"parameter of the FlexAttention {func.mod_kind or 'mod'} `{func.name}` "
                         "(it is called with tensors)", node=param, subject=name)
        if param.annotation is not None:
            value = self.annotation(param.annotation.annotation)
            if (value.kind == "tensor" and hint is not None and hint.kind in ("shape", "number", "str", "none")
                    and "*" not in self._hints.get(func, {})):
                # every compiled caller passes something else than the annotation says
                # (``shape: torch.Tensor`` given ``x.shape``): what runs is what they pass
                return replace(hint, subject=name)
            if value.kind != "unknown" or value.options:
                if param.default is not None and _is_none(param.default) and value.kind == "tensor":
                    value = replace(value, optional=True)
                return replace(value, why=Why("parameter annotated `{}`", code(param.annotation.annotation)), node=param,
                               subject=name)
            return UNKNOWN
        if hint is not None and hint.kind != "unknown":
            return hint
        default = param.default
        if default is not None and not _is_none(default):
            value = _Evaluator(self, func, {}).value(default)
            # the default's type, not its value: callers may pass any flag
            return replace(value, subject=name, literal=None) if value.kind in ("number", "str", "none") else UNKNOWN
        if name in self._numeric_params(func):
            return Value("number", subject=name)
        if func.role == "entry" and not _int_like_name(name) and not (hint is not None and hint.kind == "unknown"):
            return Value("tensor", why=f"unannotated parameter of the compiled entry `{func.qualname}`, taken as a Tensor",
                         node=param, subject=name, optional=default is not None, assumed=True)
        return UNKNOWN

    def _left_at_default(self, func: "FunctionInfo", param: cst.Param) -> Optional[Value]:
        """A flag (default ``True``/``False``/``None``) of a helper that compiled code of other
        files calls, when none of those calls passes it (``verbose=False`` left alone): it holds
        its default there. None when unknown (some call passes ``*args``, or the argument)."""
        project, module = self.scope.project, self.scope.module_name
        default = param.default
        if (project is None or module is None or func.parent is not None or func.cls is not None
                or not isinstance(default, cst.Name) or default.value not in ("True", "False", "None")):
            return None
        passed = project.reached_args.get(f"{module}.{func.name}")
        if passed is None or "*" in passed or param.name.value in passed:
            return None
        params = [p.name.value for p in list(func.node.params.posonly_params) + list(func.node.params.params)]
        positional = max((int(a[1:]) for a in passed if a.startswith("#")), default=0)
        if param.name.value in params and params.index(param.name.value) < positional:
            return None
        kind = "none" if default.value == "None" else "number"
        return Value(kind, literal=default.value, subject=param.name.value,
                     why=f"left at its default `{default.value}` by the compiled callers in other files")

    def _numeric_params(self, func: "FunctionInfo") -> set:
        """Parameters the function passes where torch's signatures take a Python number
        (``torch.arange(j - i, j)``): they are numbers, not tensors."""
        found = self._numbers.get(func)
        if found is None:
            found = set()
            params = {p.name.value for p in func.node.params.params}
            for call in _shallow_nodes(func.node.body, cst.Call):
                qn = self.scope.imports.resolve(call.func)
                if qn is None or not qn.startswith("torch."):
                    continue
                for arg in self.types.number_arguments(qn, call):
                    found.update(n for n in _arithmetic_names(arg) if n in params)
            self._numbers[func] = found
        return found

    def annotation(self, ann: cst.BaseExpression) -> Value:
        """The value an annotation promises. Only what it says for certain: ``Tensor``,
        ``Optional[Tensor]``, ``int``, ``tuple[Tensor, ...]``, ``dict[str, Tensor]`` (a dict,
        whose *values* are tensors) ..."""
        if isinstance(ann, cst.SimpleString):
            try:
                ann = cst.parse_expression(ann.evaluated_value)  # type: ignore[arg-type]
            except Exception:
                return UNKNOWN
        if isinstance(ann, cst.BinaryOperation) and isinstance(ann.operator, cst.BitOr):
            left, right = self.annotation(ann.left), self.annotation(ann.right)
            if left.kind == "none":
                return replace(right, optional=True) if right.kind == "tensor" else right
            if right.kind == "none":
                return replace(left, optional=True) if left.kind == "tensor" else left
            if left.kind == right.kind and left.kind != "container":
                return left
            return Value("unknown", options=(left, right))
        if isinstance(ann, cst.Name) and ann.value == "None":
            return NONE
        qn = self.scope.imports.resolve(ann.value if isinstance(ann, cst.Subscript) else ann)
        if qn is None:
            return UNKNOWN
        short = qn.rsplit(".", 1)[-1]
        if qn in ("torch.Tensor", "torch.nn.Parameter", "torch.nn.parameter.Parameter", "torch.FloatTensor",
                  "torch.LongTensor", "torch.BoolTensor"):
            return Value("tensor", boolean=qn == "torch.BoolTensor")
        if qn in ("builtins.int", "builtins.float", "builtins.bool", "builtins.complex", "torch.SymInt"):
            return NUMBER
        if qn == "builtins.str":
            return STR
        if qn in ("torch.Size",):
            return Value("shape")
        if qn in ("torch.dtype", "torch.device"):
            return OBJECT
        if not isinstance(ann, cst.Subscript):
            if short in ("list", "tuple", "dict", "set", "List", "Tuple", "Dict", "Set", "Sequence", "Mapping"):
                return Value("container")
            return UNKNOWN
        args = [e.slice.value for e in ann.slice if isinstance(e.slice, cst.Index)]
        if short == "Optional" and len(args) == 1:
            inner = self.annotation(args[0])
            return replace(inner, optional=True) if inner.kind == "tensor" else inner
        if short == "Union":
            values = [self.annotation(a) for a in args]
            real = [v for v in values if v.kind != "none"]
            if real and all(v.kind == real[0].kind for v in real) and real[0].kind != "container":
                return replace(real[0], optional=len(real) < len(values)) if real[0].kind == "tensor" else real[0]
            return Value("unknown", options=tuple(values))
        if short in ("list", "List", "Sequence", "set", "Set", "Iterable", "Iterator"):
            return Value("container", elem=self.annotation(args[0]) if args else None)
        if short in ("tuple", "Tuple"):
            if len(args) == 2 and isinstance(args[1], cst.Ellipsis):
                return Value("container", elem=self.annotation(args[0]))
            items = tuple(self.annotation(a) for a in args)
            return Value("container", items=items)
        if short in ("dict", "Dict", "Mapping", "MutableMapping", "OrderedDict"):
            if len(args) == 2:
                return Value("container", key=self.annotation(args[0]), elem=self.annotation(args[1]))
            return Value("container")
        return UNKNOWN


class _Executor:
    """Runs a function body over environments, recording the one before each statement."""

    def __init__(self, model: ValueModel, func: "FunctionInfo", flow: Flow) -> None:
        self.model = model
        self.func = func
        self.flow = flow
        self.loops: list[tuple[list, list]] = []  # (continue envs, break envs)

    def eval(self, env: Env) -> "_Evaluator":
        return _Evaluator(self.model, self.func, env)

    def block(self, body, env: Optional[Env]) -> Optional[Env]:
        statements = body.body if isinstance(body, (cst.IndentedBlock, cst.SimpleStatementSuite)) else body
        for statement in statements:
            if env is None:
                return None
            env = self.statement(statement, env)
        return env

    def statement(self, node: cst.CSTNode, env: Env) -> Optional[Env]:
        self.flow.before[node] = env
        if isinstance(node, cst.SimpleStatementLine):
            for small in node.body:
                if env is None:
                    return None
                self.flow.before[small] = env
                env = self.small(small, dict(env))
            return env
        if isinstance(node, cst.If):
            return self._if(node, env)
        if isinstance(node, cst.For):
            return self._for(node, env)
        if isinstance(node, cst.While):
            return self._while(node, env)
        if isinstance(node, cst.With):
            env = dict(env)
            for item in node.items:
                self._walrus(item.item, env)
                if item.asname is not None:
                    self.bind(item.asname.name, UNKNOWN, env, item)
            return self.block(node.body, env)
        if isinstance(node, cst.Try) or type(node).__name__ == "TryStar":
            return self._try(node, env)
        if isinstance(node, cst.FunctionDef):
            self.flow.at_def[node] = dict(env)
            env = dict(env)
            env[node.name.value] = Value("function", node=node)
            return env
        if isinstance(node, cst.ClassDef):
            env = dict(env)
            env[node.name.value] = OBJECT
            return env
        if isinstance(node, cst.Match):
            outs = [self.block(case.body, dict(env)) for case in node.cases]
            return join_envs([*outs, env])
        return env

    # -- compound statements ---------------------------------------------------------------
    def _if(self, node: cst.If, env: Env) -> Optional[Env]:
        env = dict(env)
        self._walrus(node.test, env)
        when_true, when_false = self.narrow(node.test, env)
        known = truth(node.test, env, self.model.scope.imports)
        if known is True:
            when_false = None
        elif known is False:
            when_true = None
        if self.model.missing_attribute(self.func, node.test) is not None:
            when_true = None  # the test raises AttributeError before the body could run
        body = self.block(node.body, when_true) if when_true is not None else None
        if node.orelse is None or when_false is None:
            other: Optional[Env] = when_false
        elif isinstance(node.orelse, cst.If):
            other = self.statement(node.orelse, when_false)
        else:
            other = self.block(node.orelse.body, when_false)
        return join_envs([body, other])

    def _for(self, node: cst.For, env: Env) -> Optional[Env]:
        element = self.eval(env).iterate(node.iter)
        head: Optional[Env] = env
        exits: list[Optional[Env]] = []
        for _ in range(_LOOP_PASSES):
            self.loops.append(([], []))
            inner = dict(head or env)
            self.bind(node.target, element, inner, node)
            out = self.block(node.body, inner)
            continues, breaks = self.loops.pop()
            new_head = join_envs([env, out, *continues])
            exits = breaks
            if new_head == head:
                break
            head = new_head
        after = head if node.orelse is None else self.block(node.orelse.body, dict(head or env))
        return join_envs([after, *exits])

    def _while(self, node: cst.While, env: Env) -> Optional[Env]:
        head: Optional[Env] = env
        exits: list[Optional[Env]] = []
        for _ in range(_LOOP_PASSES):
            self.flow.before[node] = head or env
            self.loops.append(([], []))
            inner = dict(head or env)
            self._walrus(node.test, inner)
            when_true, _ = self.narrow(node.test, inner)
            out = self.block(node.body, when_true) if when_true is not None else None
            continues, breaks = self.loops.pop()
            new_head = join_envs([env, out, *continues])
            exits = breaks
            if new_head == head:
                break
            head = new_head
        after = head if node.orelse is None else self.block(node.orelse.body, dict(head or env))
        if _is_true(node.test):
            return join_envs(exits)
        return join_envs([after, *exits])

    def _try(self, node, env: Env) -> Optional[Env]:
        body = self.block(node.body, dict(env))
        # a handler may start anywhere in the body: what held before it, or after it
        start = join_envs([env, body])
        outs = []
        for handler in node.handlers:
            handler_env = dict(start or env)
            if handler.name is not None:
                self.bind(handler.name.name, OBJECT, handler_env, handler)
            outs.append(self.block(handler.body, handler_env))
        if node.orelse is not None:
            body = self.block(node.orelse.body, body) if body is not None else None
        out = join_envs([body, *outs])
        if node.finalbody is not None:
            final = self.block(node.finalbody.body, dict(out if out is not None else start or env))
            return final if out is not None else None
        return out

    # -- simple statements -----------------------------------------------------------------
    def small(self, node: cst.BaseSmallStatement, env: Env) -> Optional[Env]:
        if isinstance(node, cst.Assign):
            self._walrus(node.value, env)
            self._calls(node.value, env)
            for target in node.targets:
                key = _state_key(target.target)
                if key is not None:
                    env.pop(key, None)
            value = self.eval(env).value(node.value)
            if value.kind == "unknown" and not value.options and isinstance(node.value, cst.Call):
                value = self._passed_through(node, env) or value
            for target in node.targets:
                self.bind(target.target, value, env, node)
            return env
        if isinstance(node, cst.AnnAssign):
            declared = self.model.annotation(node.annotation.annotation)
            if node.value is not None:
                self._walrus(node.value, env)
                value = self.eval(env).value(node.value)
                if declared.kind != "unknown" and value.kind == "unknown":
                    value = replace(declared, why=Why("annotated `{}`", code(node.annotation.annotation)), node=node)
                self.bind(node.target, value, env, node)
            return env
        if isinstance(node, cst.AugAssign):
            evaluator = self.eval(env)
            before = evaluator.value(node.target)
            value = evaluator.binary(before, evaluator.value(node.value), node.operator, node)
            if value.kind == "tensor" and before.kind in ("number", "tensor") and (before.kind == "number" or before.accumulated):
                value = replace(value, accumulated=True, producer=None,
                                why=Why("`{}` adds a Tensor to it", code(node)), node=node)
            if isinstance(node.target, cst.Name):
                self.bind(node.target, value, env, node)
            return env
        if isinstance(node, cst.Return):
            if node.value is not None:
                self._walrus(node.value, env)
                value = self.eval(env).value(node.value)
            else:
                value = NONE
            self.flow.returns = join(self.flow.returns, value) if self.flow.returned else value
            self.flow.returned = True
            self._calls(node.value, env)
            return None
        if isinstance(node, cst.Raise):
            return None
        if isinstance(node, cst.Continue):
            if self.loops:
                self.loops[-1][0].append(env)
            return None
        if isinstance(node, cst.Break):
            if self.loops:
                self.loops[-1][1].append(env)
            return None
        if isinstance(node, cst.Expr):
            self._walrus(node.value, env)
            self._calls(node.value, env)
            return env
        if isinstance(node, cst.Del):
            for name in _names(node.target):
                env.pop(name, None)
            return env
        if isinstance(node, (cst.Import, cst.ImportFrom)):
            if not isinstance(getattr(node, "names", None), cst.ImportStar):
                for alias in node.names:  # type: ignore[union-attr]
                    local = alias.asname.name if alias.asname is not None else alias.name
                    if isinstance(local, cst.Name):
                        env[local.value] = OBJECT
            return env
        return env

    def _passed_through(self, node: cst.Assign, env: Env) -> Optional[Value]:
        """``x = self.layer(x)`` / ``images, targets = self.transform(images, targets)`` with an
        unknown callee: a name rebound from the call it was passed to (at the same position)
        keeps what it held, when that was known rather than assumed."""
        call = node.value
        positional = [a.value for a in call.args if a.keyword is None and not a.star]  # type: ignore[attr-defined]
        if len(node.targets) != 1:
            return None
        target = node.targets[0].target
        names = [target] if isinstance(target, cst.Name) else [e.value for e in target.elements] if isinstance(
            target, (cst.Tuple, cst.List)) else []
        if not names or len(names) > len(positional) or (len(names) > 1 and len(names) != len(positional)):
            return None
        items = []
        for name, arg in zip(names, positional):
            held = env.get(name.value) if isinstance(name, cst.Name) and isinstance(arg, cst.Name) and arg.value == name.value else None
            if held is None or held.assumed or held.kind in ("unknown", "none"):
                items.append(UNKNOWN)
            else:
                items.append(replace(held, why=Why("passed through `{}(...)`", code(call.func)), producer=None))
        if all(i.kind == "unknown" for i in items):
            return None
        return items[0] if isinstance(target, cst.Name) else Value("container", items=tuple(items))

    def _walrus(self, expr: Optional[cst.BaseExpression], env: Env) -> None:
        if expr is None:
            return
        for node in _shallow_nodes(expr, cst.NamedExpr):
            self.bind(node.target, self.eval(env).value(node.value), env, node)

    def _calls(self, expr, env: Env) -> None:
        """Calls to the file's own functions in an expression statement or a return: the
        argument values hint at the callee's parameters (see ``ValueModel._solve``). A method
        call on ``self`` may change the object's state: what the tests told of it is forgotten."""
        if expr is None:
            return
        for call in _shallow_nodes(expr, cst.Call):
            self._record_call(call, env)
            func = call.func
            if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self":
                for key in [k for k in env if k.startswith("self.")]:
                    del env[key]

    def _record_call(self, call: cst.Call, env: Env) -> None:
        callee = self.model.scope.callee_of(call, self.func)
        if callee is None:
            return
        params = [p.name.value for p in list(callee.node.params.posonly_params) + list(callee.node.params.params)]
        if params and params[0] in ("self", "cls") and isinstance(call.func, cst.Attribute):
            params = params[1:]
        evaluator = self.eval(env)
        args: list[tuple[str, Value]] = []
        position = 0
        for arg in call.args:
            if arg.star:
                args.append(("*", UNKNOWN))  # *args / **kwargs: any parameter may be passed
                break
            if arg.keyword is not None:
                name = arg.keyword.value
            elif position < len(params):
                name = params[position]
                position += 1
            else:
                continue
            args.append((name, evaluator.value(arg.value)))
        passed = {name for name, _ in args}
        if "*" not in passed:
            # flags left at their defaults at this call site (`self.merge()`: safe_merge=False)
            for param in list(callee.node.params.params) + list(callee.node.params.kwonly_params):
                default = param.default
                if param.name.value not in passed and isinstance(default, cst.Name) and default.value in ("True", "False"):
                    args.append((param.name.value, Value("number", literal=default.value, subject=param.name.value,
                                                         why=f"left at its default `{default.value}`")))
                elif param.name.value not in passed and isinstance(default, cst.Name) and default.value == "None":
                    # an optional argument (often a deprecated one) no compiled caller passes
                    args.append((param.name.value, Value("none", literal="None", subject=param.name.value,
                                                         why="left at its default `None`")))
        if isinstance(call.func, cst.Attribute):
            # what the caller knows of the object's state (`if self.merged: self.unmerge()`)
            args.extend((key, value) for key, value in env.items() if key.startswith("self."))
        self.flow.calls.append((call, callee, args))

    def bind(self, target: cst.BaseExpression, value: Value, env: Env, at: cst.CSTNode) -> None:
        if isinstance(target, cst.Name):
            if value.kind == "tensor":
                source = at.value if isinstance(at, (cst.Assign, cst.AnnAssign, cst.AugAssign, cst.NamedExpr)) else None
                if isinstance(at, cst.AugAssign):
                    why = Why("augmented by `{}`", code(at))
                elif isinstance(at, cst.For):
                    why = Why("loop variable of `for ... in {}`", code(at.iter))
                elif source is not None:
                    why = Why("assigned `{}`", code(source))
                else:
                    why = value.why
                producer = value.producer if isinstance(source, cst.Call) and value.producer is source else None
                value = replace(value, why=why, node=at, subject=target.value, producer=producer)
            elif value.kind != "unknown":
                value = replace(value, subject=target.value, node=at)
            env[target.value] = value
            return
        if isinstance(target, (cst.Tuple, cst.List)):
            elements = list(target.elements)
            starred = [i for i, e in enumerate(elements) if isinstance(e, cst.StarredElement)]
            for index, element in enumerate(elements):
                if isinstance(element, cst.StarredElement):
                    self.bind(element.value, Value("container", elem=_element(value)), env, at)
                    continue
                if value.items is not None and not starred and len(value.items) == len(elements):
                    part = value.items[index]
                else:
                    part = _element(value)
                self.bind(element.value, part, env, at)
            return
        if isinstance(target, cst.StarredElement):
            self.bind(target.value, Value("container", elem=_element(value)), env, at)

    # -- narrowing ---------------------------------------------------------------------------
    def narrow(self, test: cst.BaseExpression, env: Env) -> tuple[Env, Env]:
        """The environments where ``test`` is true and where it is false."""
        when_true, when_false = dict(env), dict(env)
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            b, a = self.narrow(test.expression, env)
            return a, b  # type: ignore[return-value]
        if isinstance(test, cst.BooleanOperation):
            if isinstance(test.operator, cst.And):
                left_true, _ = self.narrow(test.left, env)
                if left_true is None:
                    return None, when_false  # type: ignore[return-value]
                both, _ = self.narrow(test.right, left_true)
                return both, when_false
            left_true, left_false = self.narrow(test.left, env)
            _, neither = self.narrow(test.right, left_false)
            return when_true, neither
        key = _state_key(test)
        if key is not None:
            # `if self.merged:` -- what the test says about the object's state on each branch
            when_true[key], when_false[key] = TRUTHY, FALSY
            return when_true, when_false
        if isinstance(test, cst.Call) and len(test.args) == 2:
            qn = self.model.scope.imports.resolve(test.func)
            subject = test.args[0].value
            if qn == "builtins.isinstance" and isinstance(subject, cst.Name):
                value = self._type_value(test.args[1].value)
                current = env.get(subject.value)
                if value is not None and current is not None and current.options:
                    # Union[Tensor, dict[str, Tensor]]: keep the alternative the test picks
                    chosen = [o for o in current.options if o.kind == value.kind]
                    rest = [o for o in current.options if o.kind != value.kind]
                    if chosen:
                        value = chosen[0]
                    if len(rest) == 1:
                        when_false[subject.value] = replace(rest[0], subject=subject.value, node=current.node,
                                                            why=current.why)
                    elif rest:
                        when_false[subject.value] = replace(current, options=tuple(rest))
                if (value is not None and current is not None and not current.options and not current.assumed
                        and current.kind in ("number", "str", "none", "container", "shape")
                        and value.kind in ("tensor", "number", "str", "container") and value.kind != current.kind
                        and not (current.kind == "shape" and value.kind == "container")):
                    return None, when_false  # type: ignore[return-value]
                if value is not None:
                    when_true[subject.value] = replace(value, why=Why("narrowed by `{}`", code(test)), node=test,
                                                       subject=subject.value)
                    if current is not None and current.kind == value.kind and not current.options:
                        when_false[subject.value] = UNKNOWN
            return when_true, when_false
        if isinstance(test, cst.Call) and len(test.args) == 1:
            qn = self.model.scope.imports.resolve(test.func)
            subject = test.args[0].value
            if qn == "torch.is_tensor" and isinstance(subject, cst.Name):
                when_true[subject.value] = Value("tensor", why=Why("narrowed by `{}`", code(test)), node=test,
                                                 subject=subject.value)
            return when_true, when_false
        if isinstance(test, cst.Comparison) and len(test.comparisons) == 1 and isinstance(test.left, cst.Name):
            operator = test.comparisons[0].operator
            comparator = test.comparisons[0].comparator
            if isinstance(comparator, cst.Name) and comparator.value == "None":
                name = test.left.value
                current = env.get(name, UNKNOWN)
                not_none = replace(current, optional=False) if current.kind == "tensor" else current
                if isinstance(operator, cst.Is):
                    when_true[name], when_false[name] = NONE, not_none
                elif isinstance(operator, cst.IsNot):
                    when_true[name], when_false[name] = not_none, NONE
        return when_true, when_false

    def _type_value(self, types: cst.BaseExpression) -> Optional[Value]:
        if isinstance(types, cst.Tuple):
            values = [self._type_value(e.value) for e in types.elements]
            if values and all(v is not None and v.kind == values[0].kind for v in values):  # type: ignore[union-attr]
                return values[0]
            return UNKNOWN
        qn = self.model.scope.imports.resolve(types)
        if qn in ("torch.Tensor", "torch.nn.Parameter", "torch.nn.parameter.Parameter"):
            return Value("tensor")
        if qn in ("builtins.int", "builtins.float", "builtins.bool", "builtins.complex", "numbers.Number",
                  "numbers.Integral", "numbers.Real", "torch.SymInt", "torch.SymFloat", "torch.SymBool"):
            return NUMBER
        if qn == "builtins.str":
            return STR
        if qn in ("builtins.tuple", "builtins.list", "builtins.dict", "builtins.set", "collections.abc.Sequence",
                  "typing.Sequence", "collections.abc.Mapping"):
            return Value("container")
        if qn is not None:
            return OBJECT
        return None


class _Evaluator:
    """The value of an expression in one environment."""

    def __init__(self, model: ValueModel, func: "FunctionInfo", env: Env) -> None:
        self.model = model
        self.func = func
        self.env = env
        self.scope = model.scope
        self.types = model.types

    def value(self, expr: cst.BaseExpression) -> Value:
        method = getattr(self, "_" + type(expr).__name__, None)
        if method is None:
            return UNKNOWN
        return method(expr)

    # -- atoms -------------------------------------------------------------------------------
    def _Name(self, expr: cst.Name) -> Value:
        name = expr.value
        if name in self.env:
            return self.env[name]
        if name in ("True", "False"):
            return Value("number", literal=name)
        if name == "None":
            return NONE
        if self.scope.lookup_function(name, self.func) is not None:
            return Value("function")
        if name in self.scope.classes:
            return OBJECT
        assigned = self.scope.module_assignments(name)
        if assigned and all(_is_literal_number(v) for v in assigned):
            return replace(NUMBER, subject=name)
        return UNKNOWN

    def _Integer(self, expr) -> Value:
        return NUMBER

    _Float = _Imaginary = _Integer

    def _SimpleString(self, expr) -> Value:
        return STR

    _ConcatenatedString = _FormattedString = _SimpleString

    def _Ellipsis(self, expr) -> Value:
        return OBJECT

    def _Tuple(self, expr: cst.Tuple) -> Value:
        if any(isinstance(e, cst.StarredElement) for e in expr.elements):
            return Value("container")
        return Value("container", items=tuple(self.value(e.value) for e in expr.elements))

    def _List(self, expr) -> Value:
        values = [self.value(e.value) for e in expr.elements if not isinstance(e, cst.StarredElement)]
        elem: Optional[Value] = None
        for v in values:
            elem = join(elem, v) if elem is not None else v
        return Value("container", elem=elem)

    _Set = _List

    def _Dict(self, expr: cst.Dict) -> Value:
        elem: Optional[Value] = None
        key: Optional[Value] = None
        for element in expr.elements:
            if isinstance(element, cst.DictElement):
                v, k = self.value(element.value), self.value(element.key)
                elem = join(elem, v) if elem is not None else v
                key = join(key, k) if key is not None else k
            else:
                return Value("container")
        return Value("container", elem=elem, key=key)

    def _comprehension(self, expr, element: Optional[cst.BaseExpression]) -> Value:
        env = dict(self.env)
        executor = _Executor(self.model, self.func, Flow())
        clause = expr.for_in
        while clause is not None:
            executor.bind(clause.target, _Evaluator(self.model, self.func, env).iterate(clause.iter), env, clause)
            clause = clause.inner_for_in
        if element is None:
            return Value("container")
        return Value("container", elem=_Evaluator(self.model, self.func, env).value(element))

    def _ListComp(self, expr) -> Value:
        return self._comprehension(expr, expr.elt)

    _SetComp = _GeneratorExp = _ListComp

    def _DictComp(self, expr) -> Value:
        inner = self._comprehension(expr, expr.value)
        return inner

    def _Lambda(self, expr) -> Value:
        return Value("function")

    def _NamedExpr(self, expr: cst.NamedExpr) -> Value:
        return self.value(expr.value)

    # -- operators ---------------------------------------------------------------------------
    def _Attribute(self, expr: cst.Attribute) -> Value:
        attr = expr.attr.value
        owner = expr.value
        if isinstance(owner, cst.Name) and owner.value == "self":
            return self._self_attribute(attr, expr)
        base = self.value(owner)
        if base.kind == "tensor":
            if attr in SCALAR_ATTRS:
                return Value(SCALAR_ATTRS[attr])
            if attr in TENSOR_ATTRS:
                return replace(base, producer=None)
            return UNKNOWN
        if base.kind == "module" and isinstance(base.layer, str) and base.layer.startswith("torch.nn.") and attr in ("weight", "bias"):
            return Value("tensor", why=Why("`{}` is a parameter of a `{}`", code(expr), base.layer.rsplit(".", 1)[-1]),
                         node=expr, subject=str(code(expr)), optional=attr == "bias")
        if base.kind == "container" and attr in ("values", "indices") and base.elem is not None and base.elem.kind == "tensor":
            return replace(base.elem, producer=None)  # t.max(dim=1).values
        qn = None if self._local_head(expr) else self.scope.imports.resolve(expr)
        if qn is not None and qn.startswith("math.") and attr in ("pi", "e", "inf", "nan", "tau"):
            return NUMBER
        if qn is not None and qn.startswith("torch.") and attr in ("float32", "float16", "bfloat16", "int64", "long",
                                                                    "float", "bool", "int32", "float64", "int8",
                                                                    "uint8", "half", "double", "int"):
            return OBJECT
        return UNKNOWN

    def _local_head(self, expr: cst.BaseExpression) -> bool:
        """Whether a dotted name starts with a local variable (``input.size``: not the builtin)."""
        while isinstance(expr, cst.Attribute):
            expr = expr.value
        return isinstance(expr, cst.Name) and expr.value in self.env

    def _self_attribute(self, attr: str, expr: cst.Attribute) -> Value:
        cls = self.func.cls or self.scope.enclosing_class(self.func)
        if cls is None:
            return UNKNOWN
        found = self.scope.attribute_of(cls, attr)
        if found is None:
            return UNKNOWN
        kind, owner, detail = found
        if kind == "tensor":
            return Value("tensor", why=f"`self.{attr}` is {detail} of `{owner.name}`", node=expr, subject=f"self.{attr}")
        if kind == "number":
            return Value("number", subject=f"self.{attr}")
        if kind == "module":
            return Value("module", layer=detail, subject=f"self.{attr}")
        if kind == "method":
            return Value("function", layer=detail)
        if kind == "torch-function":
            return Value("function", layer=detail)
        return UNKNOWN

    def _Subscript(self, expr: cst.Subscript) -> Value:
        base = self.value(expr.value)
        if base.kind == "tensor":
            return replace(base, producer=None, optional=False)
        index = expr.slice[0].slice if len(expr.slice) == 1 else None
        is_slice = isinstance(index, cst.Slice)
        if base.kind == "shape":
            return base if is_slice or len(expr.slice) > 1 else Value("number")
        if base.kind == "container":
            if is_slice:
                return base
            if base.items is not None and isinstance(index, cst.Index) and isinstance(index.value, (cst.Integer, cst.UnaryOperation)):
                try:
                    position = int(cst.Module(body=[]).code_for_node(index.value))
                    return base.items[position]
                except (ValueError, IndexError):
                    return UNKNOWN
            if base.elem is not None:
                return base.elem
            if base.items:
                joined: Optional[Value] = None
                for item in base.items:
                    joined = join(joined, item) if joined is not None else item
                return joined or UNKNOWN
        if base.kind == "str":
            return STR
        return UNKNOWN

    def binary(self, left: Value, right: Value, operator, node) -> Value:
        if left.kind == "tensor" or right.kind == "tensor":
            tensor = left if left.kind == "tensor" else right
            boolean = isinstance(operator, (cst.BitAnd, cst.BitOr, cst.BitXor, cst.BitAndAssign, cst.BitOrAssign,
                                            cst.BitXorAssign)) and (left.boolean or left.kind != "tensor") and (
                right.boolean or right.kind != "tensor")
            if isinstance(operator, (cst.MatrixMultiply, cst.MatrixMultiplyAssign)):
                boolean = False
            return replace(tensor, boolean=boolean and tensor.boolean, producer=None, optional=False)
        if left.kind == "number" and right.kind == "number":
            return NUMBER
        if left.kind in ("str",) and isinstance(operator, (cst.Add, cst.Modulo, cst.AddAssign)):
            return STR
        if left.kind in ("shape", "container") and right.kind in ("shape", "container") and isinstance(operator, (cst.Add, cst.AddAssign)):
            return Value("shape") if left.kind == "shape" else Value("container", elem=_join_opt(_element(left), _element(right)))
        if left.kind == "container" and right.kind == "number" and isinstance(operator, (cst.Multiply, cst.MultiplyAssign)):
            return left
        return UNKNOWN

    def _BinaryOperation(self, expr: cst.BinaryOperation) -> Value:
        return self.binary(self.value(expr.left), self.value(expr.right), expr.operator, expr)

    def _UnaryOperation(self, expr: cst.UnaryOperation) -> Value:
        if isinstance(expr.operator, cst.Not):
            return NUMBER
        inner = self.value(expr.expression)
        return replace(inner, producer=None) if inner.kind in ("tensor", "number") else UNKNOWN

    def _Comparison(self, expr: cst.Comparison) -> Value:
        if any(isinstance(c.operator, (cst.Is, cst.IsNot, cst.In, cst.NotIn)) for c in expr.comparisons):
            return NUMBER
        operands = [self.value(expr.left)] + [self.value(c.comparator) for c in expr.comparisons]
        if any(v.kind in ("str", "none") for v in operands):
            return NUMBER  # `t == "Rep"`: Python compares the objects, no tensor op
        tensors = [v for v in operands if v.kind == "tensor"]
        if tensors:
            return replace(tensors[0], boolean=True, producer=None, optional=False)
        if all(v.kind in ("number", "str", "shape", "none", "object") for v in operands):
            return NUMBER
        return UNKNOWN

    def _BooleanOperation(self, expr: cst.BooleanOperation) -> Value:
        left, right = self.value(expr.left), self.value(expr.right)
        return join(left, right) or UNKNOWN

    def _IfExp(self, expr: cst.IfExp) -> Value:
        executor = _Executor(self.model, self.func, Flow())
        when_true, when_false = executor.narrow(expr.test, self.env)
        if when_true is None:
            return _Evaluator(self.model, self.func, when_false).value(expr.orelse)
        body = _Evaluator(self.model, self.func, when_true).value(expr.body)
        orelse = _Evaluator(self.model, self.func, when_false).value(expr.orelse)
        return join(body, orelse) or UNKNOWN

    # -- iteration ---------------------------------------------------------------------------
    def iterate(self, iterable: cst.BaseExpression) -> Value:
        """The value of each element of ``for x in iterable``."""
        if isinstance(iterable, cst.Call):
            qn = self.scope.imports.resolve(iterable.func)
            args = [a.value for a in iterable.args if not a.star and a.keyword is None]
            if qn == "builtins.range":
                return NUMBER
            if qn == "builtins.enumerate" and args:
                return Value("container", items=(NUMBER, self.iterate(args[0])))
            if qn == "builtins.zip" and args:
                return Value("container", items=tuple(self.iterate(a) for a in args))
            if qn in ("builtins.reversed", "builtins.sorted", "builtins.list", "builtins.tuple") and args:
                return self.iterate(args[0])
        value = self.value(iterable)
        return _element(value)

    # -- calls -------------------------------------------------------------------------------
    def _Call(self, call: cst.Call) -> Value:
        value = self._call(call)
        if value.kind == "tensor" and value.producer is None and value.certain:
            value = replace(value, producer=call)
        return value

    def _call(self, call: cst.Call) -> Value:
        callee = call.func
        qn = None if self._local_head(callee) else self.scope.imports.resolve(callee)
        if qn is not None:
            found = self._qualified_call(qn, call)
            if found is not None:
                return found
        if isinstance(callee, cst.Attribute):
            owner = callee.value
            method = callee.attr.value
            if isinstance(owner, cst.Name) and owner.value == "self":
                return self._self_call(method, call)
            base = self.value(owner)
            return self._method_call(base, method, call)
        if isinstance(callee, cst.Name):
            bound = self.env.get(callee.value)
            if bound is not None:
                if bound.kind == "module":
                    return self._layer_call(bound, call)
                return UNKNOWN
            func = self.scope.lookup_function(callee.value, self.func)
            if func is not None:
                return self.model.returns(func)
            if callee.value in self.scope.classes:
                info = self.scope.classes[callee.value]
                return Value("module", layer=info) if info.is_module else OBJECT
        return UNKNOWN

    def _qualified_call(self, qn: str, call: cst.Call) -> Optional[Value]:
        if qn.startswith("builtins."):
            return self._builtin(qn[len("builtins."):], call)
        if qn == FLEX_ATTENTION:
            if any(a.keyword is not None and a.keyword.value in TUPLE_OPTIONS for a in call.args):
                return Value("container")
            return Value("tensor", why="`flex_attention()` returns a Tensor", certain=True)
        if qn in ("torch.nn.Parameter", "torch.nn.parameter.Parameter", "torch.nn.Buffer", "torch.Tensor"):
            return Value("tensor", why=f"`{qn}()` is a Tensor", certain=True)
        if qn.startswith("torch."):
            layer = self.types.layer(qn)
            if layer is not None:
                return Value("module", layer=qn)
            kind = self.types.function(qn, call)
            if kind is not None:
                return self._kind_value(kind, f"`{qn}()` returns")
            return None
        project = self.scope.project
        if project is not None and not qn.startswith(("torch.", "builtins.")):
            if qn in project.classes:
                return Value("module", layer=qn) if project.is_module_class(qn) else OBJECT
            if qn in project.returns:
                value = from_descriptor(project.returns[qn])
                if value.kind == "tensor":
                    value = replace(value, why=f"`{qn.rsplit('.', 1)[-1]}()` is annotated to return a Tensor")
                return value
        if qn.startswith(("math.", "operator.")) and qn.split(".")[1] in ("sqrt", "log", "exp", "floor", "ceil", "prod",
                                                                         "log2", "pow", "isqrt", "gcd", "lcm", "cos",
                                                                         "sin", "fabs", "comb", "factorial", "log10"):
            return NUMBER
        return None

    def _kind_value(self, kind: str, why: str) -> Value:
        if kind == "tensor":
            return Value("tensor", why=f"{why} a Tensor", certain=True)
        if kind == "tensors":
            return Value("container", elem=Value("tensor", why=f"{why} tensors"))
        if kind in ("number", "bool"):
            return NUMBER
        if kind == "numbers":
            return Value("container", elem=NUMBER)
        if kind == "shape":
            return Value("shape")
        if kind in ("str", "none", "object", "container"):
            return Value(kind)
        return UNKNOWN

    def _builtin(self, name: str, call: cst.Call) -> Value:
        args = [self.value(a.value) for a in call.args if not a.star and a.keyword is None]
        if name in NUMBER_BUILTINS:
            return NUMBER
        if name in STR_BUILTINS:
            return STR
        if name in CONTAINER_BUILTINS:
            return Value("container", elem=_element(args[0]) if args else None)
        if name == "dict":
            return Value("container")
        if name in ("min", "max", "sum", "abs"):
            if args and all(a.kind == "number" for a in args):
                return NUMBER
            if name == "abs" and args and args[0].kind == "tensor":
                return replace(args[0], producer=None)
            if len(args) == 1 and args[0].kind in ("shape",):
                return NUMBER
            if len(args) == 1 and args[0].kind == "container" and args[0].elem is not None and args[0].elem.kind == "number":
                return NUMBER
            return UNKNOWN
        if name in ("type", "object", "super", "slice", "getattr", "vars", "globals", "locals", "iter", "next"):
            return UNKNOWN if name in ("getattr", "next", "iter") else OBJECT
        return UNKNOWN

    def _method_call(self, base: Value, method: str, call: cst.Call) -> Value:
        if base.kind == "tensor":
            kind = self.types.method(method, call)
            if kind is None:
                return UNKNOWN
            value = self._kind_value(kind, f"`Tensor.{method}()` returns")
            if value.kind == "tensor":
                keeps = ("clone", "contiguous", "to", "view", "reshape", "expand", "flatten", "unsqueeze", "squeeze",
                         "transpose", "permute", "detach", "__getitem__")
                boolean = method in BOOLEAN_METHODS or (base.boolean and method in keeps)
                return replace(base, boolean=boolean, producer=None, optional=False, certain=not base.assumed)
            return value
        if base.kind == "module":
            if method in ("forward", "__call__"):
                return self._layer_call(base, call)
            return UNKNOWN
        if base.kind == "container":
            if method in ("pop", "get", "popleft", "setdefault"):
                return base.elem or UNKNOWN
            if method == "values":
                return Value("container", elem=base.elem)
            if method == "keys":
                return Value("container", elem=base.key)
            if method == "items":
                return Value("container", items=None, elem=Value("container", items=(base.key or UNKNOWN, base.elem or UNKNOWN)))
            if method in ("copy",):
                return base
            if method in ("index", "count"):
                return NUMBER
            return UNKNOWN
        if base.kind == "shape":
            if method in ("numel", "index", "count"):
                return NUMBER
            return UNKNOWN
        if base.kind == "str":
            if method in ("startswith", "endswith", "isdigit", "isalpha", "find", "count", "index"):
                return NUMBER
            if method in ("split", "rsplit", "splitlines"):
                return Value("container", elem=STR)
            return STR
        return UNKNOWN

    def _self_call(self, method: str, call: cst.Call) -> Value:
        attribute = self._self_attribute(method, call.func)  # type: ignore[arg-type]
        if attribute.kind == "module":
            return self._layer_call(attribute, call)
        if attribute.kind == "function" and isinstance(attribute.layer, tuple):
            # self.reduce_fn = torch.amax if ... else torch.mean: what every option returns
            found: Optional[Value] = None
            for qn in attribute.layer:
                value = self._qualified_call(qn, call) or UNKNOWN
                found = join(found, value) if found is not None else value
            return found or UNKNOWN
        if attribute.kind == "function" and attribute.layer is not None:
            return self.model.returns(attribute.layer)  # type: ignore[arg-type]
        return UNKNOWN

    def _layer_call(self, layer: Value, call: cst.Call) -> Value:
        kind_or_class = layer.layer
        project = self.scope.project
        if isinstance(kind_or_class, str) and not kind_or_class.startswith("torch.") and project is not None:
            value = from_descriptor(project.method_returns(kind_or_class, "forward"))
            if value.kind == "tensor":
                value = replace(value, why=Why("`{}` is a `{}`, whose forward is annotated to return a Tensor", code(call.func), kind_or_class.rsplit('.', 1)[-1]))
            return value
        if isinstance(kind_or_class, str):
            kind = self.types.layer(kind_or_class)
            name = kind_or_class.rsplit(".", 1)[-1]
            if kind == "tensor":
                return Value("tensor", why=Why("`{}` is a `torch.nn.{}`, which returns a Tensor", code(call.func), name),
                             certain=True)
            return self._kind_value(kind or "unknown", f"`torch.nn.{name}` returns")
        if kind_or_class is not None:
            forward = self.scope.method_of(kind_or_class, "forward")  # type: ignore[arg-type]
            if forward is not None:
                value = self.model.returns(forward)
                if value.kind == "tensor":
                    return replace(value, why=Why("`{}` is a `{}`, whose forward returns a Tensor", code(call.func), kind_or_class.name))
                return value
        return UNKNOWN


def _element(value: Value) -> Value:
    """What iterating over (or unpacking) a value gives."""
    if value.kind == "tensor":
        return replace(value, producer=None, optional=False, why=value.why)
    if value.kind == "container":
        if value.key is not None:
            return value.key
        if value.elem is not None:
            return value.elem
        if value.items:
            joined: Optional[Value] = None
            for item in value.items:
                joined = join(joined, item) if joined is not None else item
            return joined or UNKNOWN
    if value.kind == "shape":
        return NUMBER
    if value.kind == "str":
        return STR
    return UNKNOWN


def _state_key(expr: cst.BaseExpression) -> Optional[str]:
    """``self.merged`` -> "self.merged": object state a test can tell about."""
    if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and expr.value.value == "self":
        return f"self.{expr.attr.value}"
    return None


def truth(test: cst.BaseExpression, env: Env, imports=None) -> Optional[bool]:
    """A test's value when the path already knows it (``not self.merged`` after the caller
    checked ``if self.merged:``), or while Dynamo traces (``is_compiling()``, under any name the
    project gives it: ``if ... or is_compiling(): return`` ends the traced path); None when
    it does not."""
    def leaf(expr):
        known = _known_truth(expr, env)
        if known is None and imports is not None:
            known = dynamo_constant(expr, imports)
        return known

    return fold_test(test, leaf)


def _known_truth(test: cst.BaseExpression, env: Env) -> Optional[bool]:
    key = _state_key(test)
    if key is not None and key in env and env[key].kind == "truth":
        return env[key] is TRUTHY
    if isinstance(test, cst.Name) and test.value in env:
        value = env[test.value]
        if value.kind == "none":
            return False
        if value.literal is not None:
            return value.literal == "True"
    if (isinstance(test, cst.Comparison) and len(test.comparisons) == 1 and isinstance(test.left, cst.Name)
            and _is_none(test.comparisons[0].comparator) and test.left.value in env
            and env[test.left.value].kind == "none" and env[test.left.value].literal == "None"):
        # `eps is not None` where every compiled caller leaves `eps` at its default None
        return isinstance(test.comparisons[0].operator, cst.Is)
    return None


def _names(target) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for e in target.elements for n in _names(e.value)]
    return []


def _mentions(body: cst.CSTNode):
    """(name or ``self.attr`` node, innermost statement holding it) in a function body, not
    looking into nested functions and classes (they are functions of their own)."""
    stack: list = [(child, None) for child in children(body)]
    while stack:
        node, statement = stack.pop()
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            continue
        if isinstance(node, (cst.BaseSmallStatement, cst.BaseCompoundStatement, cst.SimpleStatementLine)):
            statement = node
        if isinstance(node, (cst.Name, cst.Attribute)):
            yield node, statement
        stack.extend((child, statement) for child in children(node))


def _shallow_nodes(expr: cst.CSTNode, kind: type):
    """Nodes of ``kind`` in an expression, not looking into lambdas or comprehensions."""
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, kind):
            yield node
        if isinstance(node, (cst.Lambda, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)):
            continue
        stack.extend(reversed(list(children(node))))


def _arithmetic_names(expr: cst.BaseExpression) -> list[str]:
    """The names in ``j - i`` / ``n * 2`` / ``n``: operands of plain integer arithmetic."""
    if isinstance(expr, cst.Name):
        return [expr.value]
    if isinstance(expr, cst.BinaryOperation) and isinstance(
        expr.operator, (cst.Add, cst.Subtract, cst.Multiply, cst.FloorDivide)
    ):
        return _arithmetic_names(expr.left) + _arithmetic_names(expr.right)
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        return _arithmetic_names(expr.expression)
    return []


#: methods that change a container in place
MUTATORS = frozenset({"append", "extend", "insert", "pop", "popitem", "remove", "clear", "update", "add",
                      "discard", "setdefault", "__setitem__", "__delitem__"})


def _decorator_short(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Call):
        node = node.func
    if isinstance(node, cst.Attribute):
        return node.attr.value
    return node.value if isinstance(node, cst.Name) else ""


def _truthy_reads(test: cst.BaseExpression) -> list:
    """The operands a test evaluates on every path where it comes out true (``a and not b``:
    both; ``a or b``: neither for sure)."""
    if isinstance(test, cst.BooleanOperation):
        if isinstance(test.operator, cst.And):
            return _truthy_reads(test.left) + _truthy_reads(test.right)
        return []
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return _truthy_reads(test.expression)
    if isinstance(test, cst.Comparison):
        return _truthy_reads(test.left)
    return [test]


def _is_none(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "None"


def _is_true(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "True" or isinstance(expr, cst.Integer) and expr.value != "0"


def _is_literal_number(expr: cst.BaseExpression) -> bool:
    if isinstance(expr, cst.UnaryOperation):
        expr = expr.expression
    return isinstance(expr, (cst.Integer, cst.Float)) or isinstance(expr, cst.Name) and expr.value in ("True", "False")


def _is_staticmethod(func: "FunctionInfo") -> bool:
    return any(isinstance(d, cst.Name) and d.value == "staticmethod" for d in func.decorators)


# Unannotated parameters of an entry point with these names hold Python values, not tensors.
INT_PARAM_NAMES = frozenset({"seq_len", "seqlen", "length", "size", "dim", "step", "steps", "epoch", "offset",
                             "start", "end", "start_pos", "n", "k", "num", "index", "idx", "training", "mode",
                             "past_key_values_length", "max_len", "max_length", "layer_idx", "depth"})
INT_PARAM_AFFIXES = (("num_", "n_", "max_", "min_", "use_", "return_", "output_", "is_", "has_", "do_", "enable_"),
                     ("_len", "_length", "_size", "_dim", "_count", "_num", "_idx", "_index", "_step", "_steps",
                      "_type", "_name", "_mode", "_kind", "_dtype", "_device"))
# ... and these name Python objects that are never tensors
INT_PARAM_NAMES = INT_PARAM_NAMES | {"device", "dtype", "name", "kind", "key", "layer_type", "prefix", "config"}


def _int_like_name(name: str) -> bool:
    prefixes, suffixes = INT_PARAM_AFFIXES
    return name in INT_PARAM_NAMES or name.startswith(prefixes) or name.endswith(suffixes)
