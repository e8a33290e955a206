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

This module is the interprocedural solver (``ValueModel``): what compiled callers pass makes
their callees' parameters known. The values are ``compile_audit.analysis.lattice``'s; the
statements run in ``executor``, the expressions in ``evaluator``. The model is built over the
file's ``CompiledScope`` (``compile_audit.analysis.scope``), which it is handed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

import libcst as cst

from compile_audit.analysis.declared import annotation_value
from compile_audit.analysis.definitions import FunctionInfo
from compile_audit.analysis.evaluator import Evaluator
from compile_audit.analysis.evidence import Why, code
from compile_audit.analysis.executor import Executor
from compile_audit.analysis.lattice import NONE, STR, UNKNOWN, Env, Flow, Value, element_of, join
from compile_audit.analysis.syntax import is_none, state_key
from compile_audit.analysis.torch_types import TorchTypes
from compile_audit.analysis.walk import children, shallow_nodes


class ValueModel:
    def __init__(self, scope, torch_types: Optional[TorchTypes] = None) -> None:
        self.scope = scope
        self.types = torch_types or TorchTypes.load()
        self._flows: dict[FunctionInfo, Flow] = {}
        self._busy: set[FunctionInfo] = set()
        self._hints: dict[FunctionInfo, dict[str, Value]] = {}
        self._numbers: dict[FunctionInfo, set] = {}
        #: methods compiled code calls only under a test of the object's state that the method
        #: itself changes (``if self.merged: self.unmerge()``) -> why: they run once per change
        self.one_shot: dict[FunctionInfo, str] = {}
        self._dead: Optional[set] = None
        self._solved = False

    # -- the questions rules ask ------------------------------------------------------------
    def value(self, expr: cst.BaseExpression, func: Optional[FunctionInfo], ancestors: list,
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
        env = self._comprehension_scope(func, env, ancestors)
        if bindings:
            env = {**env, **bindings}
        return Evaluator(self, func, env).value(expr)

    _COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)

    def _comprehension_scope(self, func: FunctionInfo, env: dict, ancestors: list) -> dict:
        """Inside a comprehension (its element, its filters), its targets bound to what the
        iterables give: ``[l for l, d in zip(layers, to_drop) if not d]`` knows ``d`` holds an
        element of ``to_drop``. Outermost comprehension first, each clause in order."""
        comprehensions = [node for node in ancestors if isinstance(node, self._COMPREHENSIONS)]
        if not comprehensions:
            return env
        env = dict(env)
        executor = self.executor(func, Flow())
        for comprehension in comprehensions:
            clause = comprehension.for_in
            while clause is not None:
                executor.bind(clause.target, Evaluator(self, func, env).iterate(clause.iter), env, clause)
                clause = clause.inner_for_in
        return env

    @staticmethod
    def element(value: Value) -> Value:
        """What iterating over (or unpacking) ``value`` gives."""
        return element_of(value)

    def flow(self, func: FunctionInfo) -> Flow:
        if not self._solved:
            self._solve()
        return self._flow(func)

    def returns(self, func: FunctionInfo) -> Value:
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
    def _flow(self, func: FunctionInfo) -> Flow:
        flow = self._flows.get(func)
        if flow is None:
            self._busy.add(func)
            try:
                flow = Flow()
                env = self._parameters(func)
                Executor(self, func, flow).block(func.node.body, env)
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
            seen: dict[FunctionInfo, dict[str, Value]] = {}
            sites: dict[FunctionInfo, int] = {}
            state: dict[FunctionInfo, dict[str, list]] = {}
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

    def passed(self, func: FunctionInfo) -> Optional[dict]:
        """What compiled callers pass to ``func``: parameter name -> the Value a caller in this
        file passes, or None where a caller in another file passes a constant (value unknown
        here; a variable it passes is left out). None as a whole when some caller passes
        ``*args``/``**kwargs`` (any parameter may be given)."""
        if not self._solved:
            self._solve()
        hints = self._hints.get(func, {})
        if "*" in hints:
            return None
        out: dict = {k: v for k, v in hints.items() if not k.startswith("self.")}
        project, module = self.scope.project, self.scope.module_name
        if project is not None and module is not None and func.parent is None and func.cls is None:
            given = project.reached_args.get(f"{module}.{func.name}")
            if given is not None:
                if "*" in given:
                    return None
                params = [p.name.value for p in list(func.node.params.posonly_params) + list(func.node.params.params)]
                positional = max((int(a[1:]) for a in given if a.startswith("#")), default=0)
                for name in params[:positional] + [a for a in given if not a.startswith("#")]:
                    position = params.index(name) if name in params else None
                    if not project.passes_variable(func.name, name, position):
                        out.setdefault(name, None)
        return out

    def _varied_elsewhere(self, callee: FunctionInfo, param: str) -> bool:
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

    def _mentioned(self, node: cst.CSTNode, within: FunctionInfo, helpers: set) -> list:
        if isinstance(node, cst.Name):
            found = self.scope.lookup_function(node.value, within)
            return [found] if found in helpers else []
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self":
            cls = within.cls or self.scope.enclosing_class(within)
            found = self.scope.method_of(cls, node.attr.value) if cls is not None else None
            return [found] if found in helpers else []
        return []

    def _changes_state(self, func: FunctionInfo, attr: str) -> bool:
        """Whether ``func`` changes what ``self.<attr>`` tells: it stores the attribute, or
        mutates one that the property ``attr`` reads (``merged`` -> ``bool(self.merged_adapters)``)."""
        watched = {attr}
        cls = func.cls
        if cls is not None:
            prop = cls.methods.get(attr)
            if prop is not None and any(_decorator_short(d) in ("property", "cached_property") for d in prop.decorators):
                watched.update(n.attr.value for n in shallow_nodes(prop.node.body, cst.Attribute)
                               if isinstance(n.value, cst.Name) and n.value.value == "self")
            else:
                project, module = self.scope.project, self.scope.module_name
                reads = project.property_reads(f"{module}.{cls.name}", attr) if project and module else None
                watched.update(reads or ())
        for node in shallow_nodes(func.node.body, cst.CSTNode):
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
                key = state_key(target)
                if key is not None and key[5:] in watched:
                    return True
        return False

    def missing_attribute(self, func: Optional[FunctionInfo], test: cst.BaseExpression) -> Optional[str]:
        """The ``self`` attribute a test reads on the way to being true that no instance of the
        class can have (nothing in the project stores it): the test raises instead."""
        project, module = self.scope.project, self.scope.module_name
        if func is None or project is None or module is None:
            return None
        cls = func.cls or self.scope.enclosing_class(func)
        if cls is None or cls.name not in self.scope.classes:
            return None
        for leaf in _truthy_reads(test):
            key = state_key(leaf)
            if key is not None and project.never_stored(f"{module}.{cls.name}", key[5:], self.types.module_attributes):
                return key
        return None

    def reachable(self, func: Optional[FunctionInfo], ancestors: list) -> bool:
        """Whether the statement being visited can run at all (after a ``return``, in the
        branch of an ``isinstance`` test that the value's known type rules out, it cannot)."""
        if func is None:
            return True
        flow = self.flow(func)
        outer: Optional[FunctionInfo] = func
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

    def _parameters(self, func: FunctionInfo) -> Env:
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

    def _parameter(self, func: FunctionInfo, param: cst.Param, hint: Optional[Value]) -> Value:
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
                if param.default is not None and is_none(param.default) and value.kind == "tensor":
                    value = replace(value, optional=True)
                return replace(value, why=Why("parameter annotated `{}`", code(param.annotation.annotation)), node=param,
                               subject=name)
            return UNKNOWN
        if hint is not None and hint.kind != "unknown":
            return hint
        default = param.default
        if default is not None and not is_none(default):
            value = Evaluator(self, func, {}).value(default)
            # the default's type, not its value: callers may pass any flag
            return replace(value, subject=name, literal=None) if value.kind in ("number", "str", "none") else UNKNOWN
        if name in self._numeric_params(func):
            return Value("number", subject=name)
        if func.role == "entry" and not _int_like_name(name) and not (hint is not None and hint.kind == "unknown"):
            return Value("tensor", why=f"unannotated parameter of the compiled entry `{func.qualname}`, taken as a Tensor",
                         node=param, subject=name, optional=default is not None, assumed=True)
        return UNKNOWN

    def _left_at_default(self, func: FunctionInfo, param: cst.Param) -> Optional[Value]:
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

    def _numeric_params(self, func: FunctionInfo) -> set:
        """Parameters the function passes where torch's signatures take a Python number
        (``torch.arange(j - i, j)``): they are numbers, not tensors."""
        found = self._numbers.get(func)
        if found is None:
            found = set()
            params = {p.name.value for p in func.node.params.params}
            for call in shallow_nodes(func.node.body, cst.Call):
                qn = self.scope.imports.resolve(call.func)
                if qn is None or not qn.startswith("torch."):
                    continue
                for arg in self.types.number_arguments(qn, call):
                    found.update(n for n in _arithmetic_names(arg) if n in params)
            self._numbers[func] = found
        return found

    def annotation(self, ann: cst.BaseExpression) -> Value:
        """The value an annotation promises (see ``compile_audit.analysis.declared``)."""
        return annotation_value(ann, self.scope.imports.resolve)

    def evaluator(self, func: FunctionInfo, env: Env) -> Evaluator:
        """The value of expressions in ``env``, inside ``func``."""
        return Evaluator(self, func, env)

    def executor(self, func: FunctionInfo, flow: Flow) -> Executor:
        """Runs statements of ``func``, recording what reaches each in ``flow``."""
        return Executor(self, func, flow)


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


def _is_staticmethod(func: FunctionInfo) -> bool:
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
