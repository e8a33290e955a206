"""The value model's statements: a function body executed abstractly over environments.

``Executor`` runs the statements in order, recording the environment that reaches each one:
branches are joined where they meet, loops run until their head is stable, ``isinstance`` /
``is None`` tests narrow the names they test, and ``return``/``raise``/``break`` end a path.
The values of expressions come from the model's evaluator (``ValueModel.evaluator``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

import libcst as cst

from compile_audit.analysis.definitions import FunctionInfo
from compile_audit.analysis.evidence import Why, code
from compile_audit.analysis.lattice import (
    FALSY, NONE, NUMBER, OBJECT, STR, TRUTHY, UNKNOWN, Env, Flow, Value, element_of, join, join_envs,
)
from compile_audit.analysis.syntax import is_none, state_key
from compile_audit.analysis.torchapi import fold, guard_call
from compile_audit.analysis.walk import shallow_nodes

_LOOP_PASSES = 3


class Executor:
    """Runs a function body over environments, recording the one before each statement."""

    def __init__(self, model, func: FunctionInfo, flow: Flow) -> None:
        self.model = model
        self.func = func
        self.flow = flow
        self.loops: list[tuple[list, list]] = []  # (continue envs, break envs)

    def eval(self, env: Env):
        """The value of expressions in ``env`` (an ``Evaluator``)."""
        return self.model.evaluator(self.func, env)

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
                key = state_key(target.target)
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
        for node in shallow_nodes(expr, cst.NamedExpr):
            self.bind(node.target, self.eval(env).value(node.value), env, node)

    def _calls(self, expr, env: Env) -> None:
        """Calls to the file's own functions in an expression statement or a return: the
        argument values hint at the callee's parameters (see ``ValueModel._solve``). A method
        call on ``self`` may change the object's state: what the tests told of it is forgotten."""
        if expr is None:
            return
        for call in shallow_nodes(expr, cst.Call):
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
                    self.bind(element.value, Value("container", elem=element_of(value)), env, at)
                    continue
                if value.items is not None and not starred and len(value.items) == len(elements):
                    part = value.items[index]
                else:
                    part = element_of(value)
                self.bind(element.value, part, env, at)
            return
        if isinstance(target, cst.StarredElement):
            self.bind(target.value, Value("container", elem=element_of(value)), env, at)

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
        key = state_key(test)
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
                if (value is not None and current is not None and current.kind == "tensor" and not current.options
                        and value.kind not in ("tensor", "number", "str", "container", "none", "shape")):
                    # `isinstance(edge_index, EdgeIndex)`: a Tensor that is also some class is a
                    # Tensor subclass, still a Tensor on both paths
                    return when_true, when_false
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


def truth(test: cst.BaseExpression, env: Env, imports=None) -> Optional[bool]:
    """A test's value when the path already knows it (``not self.merged`` after the caller
    checked ``if self.merged:``), or while Dynamo traces (``is_compiling()``, under any name the
    project gives it: ``if ... or is_compiling(): return`` ends the traced path); None when
    it does not."""
    def leaf(expr):
        known = _known_truth(expr, env)
        if known is None and imports is not None:
            known = guard_call(expr, imports.resolve)
        return known

    return fold(test, leaf)


def _known_truth(test: cst.BaseExpression, env: Env) -> Optional[bool]:
    key = state_key(test)
    if key is not None and key in env and env[key].kind == "truth":
        return env[key] is TRUTHY
    if isinstance(test, cst.Name) and test.value in env:
        value = env[test.value]
        if value.kind == "none":
            return False
        if value.literal is not None:
            return value.literal == "True"
    if (isinstance(test, cst.Comparison) and len(test.comparisons) == 1 and isinstance(test.left, cst.Name)
            and is_none(test.comparisons[0].comparator) and test.left.value in env
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


def _is_true(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "True" or isinstance(expr, cst.Integer) and expr.value != "0"
