"""Branches that only unusual input takes.

A function's *default call* gives its first input and leaves every other optional argument at
its default (or at the constant every compiled caller passes) and passes no ``**kwargs``. A
branch test is judged on that call: ``if scale is not None:`` (``scale=None``) is false there,
``if attention_mask is None:`` true. A test of an input's structure (its shape,
rank or device, ``isinstance``, ``len``) that the default call does not settle is taken
only for some inputs: Dynamo specialises on those properties, so the branch runs compiled only
for callers who pass such input.

The reporting rules (a log, a warning, a print: ``Rule.reports_on_input``) use it: a report in a
branch only unusual input takes (``if txt_ids.ndim == 3: logger.warning("deprecated")``,
``if labels is not None and use_cache: logger.warning(...)``) tells that caller about their call;
it is not on the compiled default path. A report the default call does make (``if attention_mask
is None: logger.warning_once(...)`` with ``attention_mask=None``) is.
"""

from __future__ import annotations

from typing import Iterator, Optional

import libcst as cst

#: a tensor's (or an array's) properties that Dynamo specialises on
#: (not the dtype: autocast and half precision change it in normal use)
METADATA_ATTRIBUTES = frozenset({"shape", "ndim", "device", "is_cuda", "layout", "is_sparse"})
METADATA_METHODS = frozenset({"dim", "size", "numel", "ndimension", "is_floating_point", "is_complex", "get_device"})
#: builtins that ask about a Python value's structure
STRUCTURE_BUILTINS = frozenset({"isinstance", "len", "type", "callable", "hasattr"})

_UNKNOWN = object()
#: the value of ``**kwargs`` in the default call
_EMPTY = object()
#: an input a real call gives (not None; nothing else known)
_GIVEN = object()
_LITERALS = {"None": None, "True": True, "False": False}
#: a constant compiled callers pass whose value is not known here
UNKNOWN = _UNKNOWN


class DefaultCall:
    """The default call of one function, as seen at one statement of its body: optional
    parameters hold their literal defaults, and the simple assignments written before the
    statement (``kwargs = kwargs if kwargs is not None else {}``) are followed; a name bound in
    a way this does not follow is unknown."""

    def __init__(self, func: cst.FunctionDef, at: cst.CSTNode, passed: Optional[dict] = None) -> None:
        """``passed``: the constants compiled callers pass (``verbose=True`` at every call): those
        parameters hold that (``UNKNOWN``: a constant not known here), not their default. A variable a caller passes is, in the caller's
        own default call, the caller's default: the parameter's default stands for it."""
        params = func.params
        self.values: dict[str, object] = {}
        #: locals holding an input's structure (``input_dtype = query.dtype``)
        self.structure: set[str] = set()
        passed = passed or {}
        every = list(params.posonly_params) + list(params.params) + list(params.kwonly_params)
        first = next((p.name.value for p in every if p.name.value not in ("self", "cls")), None)
        for param in every:
            name = param.name.value
            if name == first and name not in passed:
                # a call gives at least its first input (``forward(self, input_ids=None, ...)``)
                self.values[name] = _GIVEN
            elif name in passed:
                if passed[name] is not _UNKNOWN:
                    self.values[name] = passed[name]
            elif param.default is not None:
                value = _literal(param.default)
                if value is not _UNKNOWN:
                    self.values[name] = value
        if isinstance(params.star_kwarg, cst.Param):
            self.values[params.star_kwarg.name.value] = _EMPTY
        self._run(_block(func.body), at)

    def _run(self, statements, at: cst.CSTNode) -> bool:
        """Follow ``statements`` up to ``at``; True once ``at`` is reached."""
        for statement in statements:
            if statement is at:
                return True
            if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 \
                    and isinstance(statement.body[0], cst.Assign) and len(statement.body[0].targets) == 1 \
                    and isinstance(statement.body[0].targets[0].target, cst.Name):
                assign = statement.body[0]
                self._bind(assign.targets[0].target.value, assign.value)
                continue
            inside = _contains(statement, at)
            if isinstance(statement, cst.If):
                if inside:
                    # the branch holding ``at`` is the one taken
                    if _contains(statement.body, at):
                        return self._run(_block(statement.body), at)
                    orelse = statement.orelse
                    return self._run([orelse] if isinstance(orelse, cst.If) else _block(orelse.body), at)
                truth = self.truth(statement.test)
                if truth is not None and self._fails(statement.body if truth else statement.orelse):
                    # ``if input_ids is not None: ... else: n = inputs_embeds.shape[0]``: the default
                    # call would fail on the None it left; a real call gives the first input tested
                    for name in _none_tested(statement.test):
                        if self.values.get(name, _UNKNOWN) is None:
                            self.values[name] = _GIVEN
                    truth = self.truth(statement.test)
                if truth is not None:
                    branch = statement.body if truth else statement.orelse
                    if branch is not None:
                        self._run([branch] if isinstance(branch, cst.If) else _block(branch if truth else branch.body), at)
                    continue
            if isinstance(statement, cst.With) and inside:
                return self._run(_block(statement.body), at)
            # a loop (whose earlier rounds may have bound anything in it) or another compound statement
            for name in _bound(statement):
                self.values.pop(name, None)
                self.structure.discard(name)
            if inside:
                return True
        return False

    def _fails(self, branch) -> bool:
        """Whether a branch's own statements read an attribute of a name that is None here."""
        if branch is None or isinstance(branch, cst.If):
            return False
        block = branch if isinstance(branch, cst.IndentedBlock) else branch.body
        for statement in _block(block):
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            stack: list[cst.CSTNode] = [statement]
            while stack:
                node = stack.pop()
                if isinstance(node, (cst.Lambda, cst.FunctionDef)):
                    continue
                if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) \
                        and node.value.value in self.values and self.values[node.value.value] is None:
                    return True
                stack.extend(node.children)
        return False

    def _bind(self, name: str, expr: cst.BaseExpression) -> None:
        value = self.value(expr)
        self.structure.discard(name)
        if value is _UNKNOWN:
            self.values.pop(name, None)
            if input_test(expr, self.structure):
                self.structure.add(name)
        else:
            self.values[name] = value

    def truth(self, expr: cst.BaseExpression) -> Optional[bool]:
        """Whether ``expr`` is true in the default call; None when that is not known."""
        if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Not):
            inner = self.truth(expr.expression)
            return None if inner is None else not inner
        if isinstance(expr, cst.BooleanOperation):
            left, right = self.truth(expr.left), self.truth(expr.right)
            if isinstance(expr.operator, cst.And):
                return False if False in (left, right) else (True if left and right else None)
            return True if True in (left, right) else (False if left is False and right is False else None)
        value = self.value(expr)
        if value is _UNKNOWN or value is _GIVEN:
            return None
        if value is _EMPTY:
            return False
        return bool(value)

    def value(self, expr: cst.BaseExpression) -> object:
        if isinstance(expr, cst.Name):
            if expr.value in self.values:
                return self.values[expr.value]
            return _LITERALS.get(expr.value, _UNKNOWN)
        literal = _literal(expr)
        if literal is not _UNKNOWN:
            return literal
        if isinstance(expr, cst.Comparison) and len(expr.comparisons) == 1:
            return self._compare(expr.left, expr.comparisons[0])
        if isinstance(expr, cst.Call):
            return self._call(expr)
        if isinstance(expr, cst.IfExp):
            truth = self.truth(expr.test)
            return _UNKNOWN if truth is None else self.value(expr.body if truth else expr.orelse)
        if isinstance(expr, cst.Dict) and not expr.elements:
            return _EMPTY
        if isinstance(expr, (cst.UnaryOperation, cst.BooleanOperation)):
            truth = self.truth(expr)
            return _UNKNOWN if truth is None else truth
        return _UNKNOWN

    def _compare(self, left_expr: cst.BaseExpression, target: cst.ComparisonTarget) -> object:
        left, right = self.value(left_expr), self.value(target.comparator)
        op = target.operator
        if isinstance(op, (cst.In, cst.NotIn)):
            if right is _EMPTY:
                return isinstance(op, cst.NotIn)
            return _UNKNOWN
        if _GIVEN in (left, right):
            other = right if left is _GIVEN else left
            if other is None and isinstance(op, (cst.Is, cst.IsNot)):
                return isinstance(op, cst.IsNot)
            return _UNKNOWN
        if left is _UNKNOWN or right is _UNKNOWN or _EMPTY in (left, right):
            return _UNKNOWN
        if isinstance(op, cst.Is):
            return left is right if None in (left, right) or isinstance(left, bool) else _UNKNOWN
        if isinstance(op, cst.IsNot):
            return left is not right if None in (left, right) or isinstance(left, bool) else _UNKNOWN
        if isinstance(op, cst.Equal):
            return left == right
        if isinstance(op, cst.NotEqual):
            return left != right
        return _UNKNOWN

    def _call(self, call: cst.Call) -> object:
        func = call.func
        args = [a.value for a in call.args]
        if isinstance(func, cst.Name) and args:
            first = self.value(args[0])
            if func.value == "isinstance" and len(args) == 2 and first is None:
                return False  # the classes tested are not ``type(None)`` in the code this is for
            if func.value == "len" and first is _EMPTY:
                return 0
            if func.value == "bool" and first is not _UNKNOWN and first is not _GIVEN:
                return first is not _EMPTY and bool(first)
        if isinstance(func, cst.Attribute) and self.value(func.value) is _EMPTY:
            if func.attr.value in ("get", "pop") and args:
                return self.value(args[1]) if len(args) > 1 else None
            if func.attr.value in ("keys", "values", "items"):
                return _EMPTY
        return _UNKNOWN


def input_test(expr: cst.BaseExpression, structure: frozenset | set = frozenset()) -> bool:
    """Whether ``expr`` asks about an input's structure: a tensor's shape, rank or device,
    ``isinstance``/``len``/``type`` of a value that is not the object's own state (``self.x``),
    or a local in ``structure`` that holds one."""
    stack: list[cst.CSTNode] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.Lambda, cst.FunctionDef)):
            continue
        if isinstance(node, cst.Name) and node.value in structure:
            return True
        if isinstance(node, cst.Attribute) and node.attr.value in METADATA_ATTRIBUTES and not _own_state(node.value):
            return True
        if isinstance(node, cst.Call):
            func = node.func
            if isinstance(func, cst.Attribute) and func.attr.value in METADATA_METHODS and not _own_state(func.value):
                return True
            if (isinstance(func, cst.Name) and func.value in STRUCTURE_BUILTINS and node.args
                    and not _own_state(node.args[0].value)):
                return True
        stack.extend(node.children)
    return False


def conditions(test: cst.BaseExpression, holds: bool) -> Iterator[tuple[cst.BaseExpression, bool]]:
    """The parts of a branch test that each must hold (``holds``: the test is true; False: its
    ``else``): ``a and b`` -> a, b; the ``else`` of ``a or b`` -> not a, not b."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        yield from conditions(test.expression, not holds)
    elif isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And if holds else cst.Or):
        yield from conditions(test.left, holds)
        yield from conditions(test.right, holds)
    else:
        yield test, holds


def _own_state(expr: cst.BaseExpression) -> bool:
    """``self.x``, ``self.config.y[...]``: the object's state, not an input."""
    while isinstance(expr, (cst.Attribute, cst.Subscript, cst.Call)):
        expr = expr.func if isinstance(expr, cst.Call) else expr.value
    return isinstance(expr, cst.Name) and expr.value in ("self", "cls")


def _literal(expr: cst.BaseExpression) -> object:
    if isinstance(expr, cst.Name) and expr.value in _LITERALS:
        return _LITERALS[expr.value]
    if isinstance(expr, cst.Integer):
        return int(expr.value.replace("_", ""), 0)
    if isinstance(expr, cst.Float):
        return float(expr.value.replace("_", ""))
    if isinstance(expr, cst.SimpleString):
        return expr.evaluated_value
    return _UNKNOWN


def _none_tested(test: cst.BaseExpression) -> list[str]:
    """The names a test compares with None (``x is not None``, ``x is None``)."""
    found = []
    for node in [test, *_descendants(test)]:
        if isinstance(node, cst.Comparison) and len(node.comparisons) == 1 and isinstance(node.left, cst.Name) \
                and isinstance(node.comparisons[0].operator, (cst.Is, cst.IsNot)) \
                and isinstance(node.comparisons[0].comparator, cst.Name) and node.comparisons[0].comparator.value == "None":
            found.append(node.left.value)
    return found


def _descendants(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    stack = list(node.children)
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.children)


def _contains(node: cst.CSTNode, at: cst.CSTNode) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if current is at:
            return True
        stack.extend(current.children)
    return False


def _block(suite: cst.BaseSuite) -> list:
    return list(suite.body) if isinstance(suite, cst.IndentedBlock) else []


def _bound(node: cst.CSTNode) -> set[str]:
    """Names a statement binds anywhere in it (not in nested functions or classes)."""
    found: set[str] = set()
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (cst.Lambda, cst.FunctionDef, cst.ClassDef)):
            continue
        targets: list[cst.CSTNode] = []
        if isinstance(current, cst.AssignTarget):
            targets.append(current.target)
        elif isinstance(current, (cst.AnnAssign, cst.AugAssign, cst.For, cst.CompFor, cst.NamedExpr)):
            targets.append(current.target)
        elif isinstance(current, cst.AsName):
            targets.append(current.name)
        for target in targets:
            found.update(n.value for n in _names(target))
        stack.extend(current.children)
    return found


def _names(target: cst.CSTNode) -> Iterator[cst.Name]:
    if isinstance(target, cst.Name):
        yield target
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _names(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from _names(target.value)
