"""What a rule sees of the file while the engine walks it: names, scope, tensors, reporting."""

from __future__ import annotations

from typing import Optional, Protocol

import libcst as cst

from compile_audit.analysis.collector import lazy_init
from compile_audit.analysis.default_call import UNKNOWN, DefaultCall, conditions, input_test
from compile_audit.analysis.definitions import FunctionInfo
from compile_audit.analysis.lattice import Value
from compile_audit.analysis.torchapi import SCALAR_CHECKS, under_dynamo
from compile_audit.core.findings import Impact
from compile_audit.analysis.walk import children


class Reporter(Protocol):
    """Who reports through the context: a rule (``compile_audit.lint.rule.Rule``, which is built on
    this module, so this one names only what the engine reads back from ``FileContext.reports``)."""

    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def severity(self) -> str: ...

    @property
    def gb_codes(self) -> tuple[str, ...]: ...

    @property
    def proof(self) -> Optional[str]: ...


class FileContext:
    def __init__(self, path: str, module: cst.Module, scope, values, torch_release: str,
                 python: Optional[tuple[int, int]] = None) -> None:
        """``scope`` is the file's ``compile_audit.analysis.scope.CompiledScope`` and ``values`` the
        ``compile_audit.analysis.values.ValueModel`` built over it: the engine builds both."""
        self.path = path
        self.module = module
        self.scope = scope
        self.values = values
        #: the torch release the findings are for (rules with parts Dynamo learned to trace read it)
        self.torch_release = torch_release
        #: the oldest Python the project supports (requires-python), when known
        self.python = python
        self.reports: list[tuple[Reporter, cst.CSTNode, str, object, Optional[Value], Impact]] = []
        #: the nodes from the module down to the one being visited (maintained by the walker)
        self.ancestors: list[cst.CSTNode] = []
        #: id of a reported node -> the top-level statement holding it
        #: id of a reported node -> the nodes around it, the module first (``lint.positions``)
        self.tops: dict[int, tuple] = {}
        self._functions: list[FunctionInfo] = []
        self._checked: dict = {}
        self._eager_depth = 0
        #: inside a lambda compiled code calls (``self.gate = lambda t: ...``)
        self._lambda_depth = 0

    # names -------------------------------------------------------------------------------
    def qualified_name(self, expr: cst.BaseExpression) -> Optional[str]:
        return self.scope.imports.resolve(expr)

    # where the walk is -------------------------------------------------------------------
    @property
    def current_function(self) -> Optional[FunctionInfo]:
        return self._functions[-1] if self._functions else None

    @property
    def in_compiled(self) -> bool:
        if self._eager_depth:
            return False
        func = self.current_function
        return (func is not None and func.is_compiled) or self._lambda_depth > 0

    @property
    def in_mod(self) -> bool:
        """Inside a FlexAttention ``score_mod``/``mask_mod`` (the CA2xx rules own those)."""
        func = self.current_function
        return func is not None and func.role == "mod"

    def value(self, expr: cst.BaseExpression, bindings: Optional[dict] = None) -> Value:
        """What ``expr`` holds where the walk is (the definitions that reach this statement);
        ``bindings`` adds names (a ``key=`` lambda's parameter bound to the element type)."""
        return self.values.value(expr, self.current_function, self.ancestors, bindings)

    def is_tensor(self, expr: cst.BaseExpression) -> bool:
        return self.value(expr).is_tensor

    def tensor(self, expr: cst.BaseExpression) -> Optional[Value]:
        """The value of ``expr`` when the model believes it is a Tensor (the evidence for a
        finding's message), else None."""
        value = self.value(expr)
        return value if value.is_tensor else None

    def report(
        self, rule: Reporter, node: cst.CSTNode, message: str, fix: object = None, evidence: Optional[Value] = None
    ) -> None:
        assumed = self.scope.assumed(self.current_function) if self.current_function is not None else None
        if assumed is not None:
            message = (f"{message}; this assumes the whole model is compiled: the project compiles {assumed}, "
                       f"which does not reach this code")
        self.reports.append((rule, node, message, fix, evidence, self.impact(rule)))
        # the statements holding it: positions are computed for those statements only
        if len(self.ancestors) > 1:
            self.tops[id(node)] = tuple(self.ancestors)

    def impact(self, rule: Reporter) -> Impact:
        """What the finding being reported will cost, predicted from where it sits: a break
        inside a loop (or, from Python 3.12, a comprehension, which runs in its function's frame)
        makes Dynamo skip the whole frame; a recompile repeats on every call; a break in the
        middle of a function splits its graph, one at its start or end costs least."""
        proof = rule.proof
        func = self.current_function
        name = f"`{func.name}`" if func is not None else "the function"
        if proof == "recompile":
            return Impact(90, f"a recompile on every call that changes the value, until the cache limit makes "
                              f"{name} run eagerly")
        if proof == "eager":
            return Impact(95, "fails when it runs, compiled or not")
        if proof not in ("fullgraph", "default"):
            return Impact(5, "costs speed or memory, not a graph break")
        loop = comprehension = None
        top: Optional[cst.CSTNode] = None
        for index in range(len(self.ancestors) - 1, 0, -1):
            node = self.ancestors[index]
            if func is not None and node is func.node:
                break
            if isinstance(node, (cst.For, cst.While)) and loop is None:
                loop = node
            if isinstance(node, (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)) and comprehension is None:
                comprehension = node
            if func is not None and self.ancestors[index - 1] is func.node.body:
                top = node
        if loop is not None:
            return Impact(100, f"inside a loop: a graph break there makes Dynamo skip the whole frame, so {name} "
                               "runs eagerly (no graph at all)")
        if comprehension is not None and not isinstance(comprehension, cst.GeneratorExp):
            if self.python is not None and self.python >= (3, 12):
                return Impact(100, f"inside a comprehension, which runs in {name}'s frame from Python 3.12: a graph "
                                   f"break there makes Dynamo skip the whole frame, so {name} runs eagerly")
            return Impact(60, "inside a comprehension: Dynamo skips the comprehension's frame, which runs eagerly")
        if func is None or top is None:
            return Impact(30, "a graph break")
        body = list(func.node.body.body) if isinstance(func.node.body, cst.IndentedBlock) else []
        position = next((i for i, statement in enumerate(body) if statement is top), 0)
        before, after = position, len(body) - position - 1
        if before == 0 or after == 0 or (after == 1 and _returns(body[-1])):
            edge = "start" if before == 0 else "end"
            return Impact(20, f"at the {edge} of {name}: the graph ends or starts there, the rest stays whole")
        return Impact(40 + min(before, after, 9), f"in the middle of {name}: it splits the graph in two "
                                                  f"({before} statements before it, {after} after)")

    def enclosing(self, kind: type) -> Optional[cst.CSTNode]:
        """The innermost node of type ``kind`` around the node being visited (itself included)."""
        for node in reversed(self.ancestors):
            if isinstance(node, kind):
                return node
        return None

    def torch_name(self) -> Optional[str]:
        """The local name bound to the ``torch`` module, for codemods that add torch calls."""
        for local, qualified in self.scope.imports.aliases.items():
            if qualified == "torch":
                return local
        return None

    # called by the engine's walker ----------------------------------------------------------
    def enter(self, node: cst.CSTNode) -> None:
        kind = type(node)  # concrete classes: no isinstance against libcst's ABCs on every node
        if kind is cst.FunctionDef:
            self._functions.append(self.scope.functions[node])
        elif kind is cst.Lambda and node in self.scope.compiled_lambdas:
            self._lambda_depth += 1

    def leave(self, node: cst.CSTNode) -> None:
        kind = type(node)
        if kind is cst.FunctionDef:
            self._functions.pop()
        elif kind is cst.Lambda and node in self.scope.compiled_lambdas:
            self._lambda_depth -= 1

    def eager_branch(self, node: cst.If) -> Optional[str]:
        """The branch ("body"/"orelse") Dynamo never traces: the ``else`` of
        ``if is_compiling():``, the body of ``if torch.jit.is_scripting():`` (False under
        Dynamo), and ``and``/``or``/``not`` combinations of such tests; the body of a lazy
        cache fill (``if self._cache is None: self._cache = ...``), which runs once."""
        value = self.under_dynamo(node.test)
        if value is None:
            return "body" if lazy_init(node) or self._debug_switch(node.test) else None
        return "orelse" if value else "body"

    def _debug_switch(self, test: cst.BaseExpression) -> bool:
        """``if os.environ.get("DEBUG_ATTN"):`` / ``os.getenv(...)`` / ``"X" in os.environ`` (alone
        or ``and``-ed with other tests): a switch read while Dynamo traces, off unless the user
        sets the variable, so its body is not the compiled default path."""
        if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
            return self._debug_switch(test.left) or self._debug_switch(test.right)
        if isinstance(test, cst.Comparison):
            if len(test.comparisons) == 1 and isinstance(test.comparisons[0].operator, cst.In):
                return self.qualified_name(test.comparisons[0].comparator) == "os.environ"
            test = test.left
        if isinstance(test, cst.Call):
            qualified = self.qualified_name(test.func) or ""
            if qualified in ("os.getenv", "os.environ.get"):
                return True
            if qualified in ("builtins.int", "builtins.bool", "builtins.float") and test.args:
                return self._debug_switch(test.args[0].value)
        return isinstance(test, cst.Subscript) and self.qualified_name(test.value) == "os.environ"

    def unusual_input(self) -> bool:
        """Whether the node being visited sits in a branch that the function's default call does
        not take (``if scale is not None:`` with ``scale=None``), or that only some inputs take
        (``if txt_ids.ndim == 3:``): see ``compile_audit.analysis.default_call``."""
        func = self.current_function
        if func is None:
            return False
        ancestors = self.ancestors
        passed = self._passed(func)
        for index in range(len(ancestors) - 2, -1, -1):
            node = ancestors[index]
            if node is func.node:
                return False
            if not isinstance(node, cst.If):
                continue
            child = ancestors[index + 1]
            if child is not node.body and child is not node.orelse:
                continue
            default = DefaultCall(func.node, node, passed)
            for part, holds in conditions(node.test, child is node.body):
                truth = default.truth(part)
                if truth is not None and truth is not holds:
                    return True
                if truth is None and input_test(part, default.structure):
                    return True
        return False

    def _passed(self, func: FunctionInfo) -> dict:
        """The constant flags compiled callers pass to ``func`` (``ValueModel.passed``):
        ``verbose=True`` at every call makes ``if verbose:`` the default path there."""
        given = self.values.passed(func) or {}
        literals = {"None": None, "True": True, "False": False}
        out: dict = {}
        for name, value in given.items():
            if value is None:
                out[name] = UNKNOWN  # a constant another file passes
            elif value.literal in literals:
                out[name] = literals[value.literal]
        return out

    def written_for_export(self, call: cst.Call) -> bool:
        """Whether a ``.item()``/``.tolist()`` call is code written for ``torch.export`` or
        ``capture_scalar_outputs``: the predicate of ``torch.cond``, or a value the function
        then bounds with ``torch._check*`` (unbacked symbols handled on purpose)."""
        for node in reversed(self.ancestors[:-1]):
            if isinstance(node, cst.Call) and self.qualified_name(node.func) in SCALAR_CHECKS | {"torch.cond"}:
                return True
            if isinstance(node, (cst.SimpleStatementLine, cst.FunctionDef)):
                break
        statement = next((n for n in reversed(self.ancestors) if isinstance(n, (cst.Assign, cst.AnnAssign))), None)
        if statement is None:
            return False
        targets = [t.target for t in statement.targets] if isinstance(statement, cst.Assign) else [statement.target]
        names = {n.value for t in targets for n in _name_nodes(t)}
        return bool(names & self._checked_names())

    def _checked_names(self) -> set:
        func = self.current_function
        if func is None:
            return set()
        if func not in self._checked:
            found: set = set()
            stack = [func.node.body]
            while stack:
                node = stack.pop()
                if isinstance(node, cst.Call) and self.qualified_name(node.func) in SCALAR_CHECKS:
                    for arg in node.args:
                        found.update(n.value for n in _name_nodes(arg.value))
                stack.extend(node.children)
            self._checked[func] = found
        return self._checked[func]

    def reachable(self) -> bool:
        return self.values.reachable(self.current_function, self.ancestors)

    def error_branch(self, node: cst.CSTNode, attribute: str) -> bool:
        """Whether the ``body``/``orelse`` of ``node`` is an error path: it ends by raising
        (``raise``, ``assert False``, ``torch._assert(False, ...)``). Dynamo traces it only when
        the program is already failing, so what it does to format the error is not a finding.
        The ``else:`` of a search loop (one that ``break``s when it finds what it looks for)
        that only reports (warns, logs, prints or raises) is the "not found" path: an error path too."""
        if isinstance(node, (cst.For, cst.While)):
            return attribute == "orelse" and node.orelse is not None and _breaks(node.body) and all(
                self._reports(statement) for statement in node.orelse.body.body)
        if not isinstance(node, cst.If):
            return False
        if attribute == "body":
            block = node.body
        elif attribute == "orelse" and isinstance(node.orelse, cst.Else):
            block = node.orelse.body
        else:
            return False
        statements = getattr(block, "body", ())
        if not statements:
            return False
        last = statements[-1]
        if isinstance(last, cst.SimpleStatementLine) and last.body:
            small = last.body[-1]
            if isinstance(small, cst.Raise):
                return True
            if isinstance(small, cst.Assert) and _is_false(small.test):
                return True
            if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                qn = self.qualified_name(small.value.func)
                args = small.value.args
                if qn in ("torch._assert", "torch._assert_async") and args and _is_false(args[0].value):
                    return True
        return False

    def _reports(self, statement: cst.CSTNode) -> bool:
        """A statement that only reports a problem: ``raise``, ``warnings.warn(...)``, a logger call, ``print``."""
        if not isinstance(statement, cst.SimpleStatementLine):
            return False
        for small in statement.body:
            if isinstance(small, cst.Raise):
                continue
            if not (isinstance(small, cst.Expr) and isinstance(small.value, cst.Call)):
                return False
            func = small.value.func
            qn = self.qualified_name(func) or ""
            if qn in ("warnings.warn", "builtins.print") or (
                    isinstance(func, cst.Attribute) and func.attr.value in REPORTING_METHODS):
                continue
            return False
        return True

    def under_dynamo(self, test: cst.BaseExpression) -> Optional[bool]:
        """The value a test has while Dynamo traces, when it is fixed; else None."""
        return under_dynamo(test, self.scope.imports.resolve)

    def enter_eager(self) -> None:
        self._eager_depth += 1

    def leave_eager(self) -> None:
        self._eager_depth -= 1


def _returns(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and any(isinstance(s, cst.Return) for s in statement.body)


def _is_false(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "False" or isinstance(expr, cst.Integer) and expr.value == "0"


def _name_nodes(expr: cst.CSTNode):
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Name):
            yield node
        elif not isinstance(node, (cst.Lambda, cst.FunctionDef)):
            stack.extend(node.children)


#: logger methods: a call of one of these only reports
REPORTING_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "warning_once"})


def _breaks(block: cst.BaseSuite) -> bool:
    """Whether a loop body ``break``s out of that loop (not out of a loop nested in it)."""
    stack = list(getattr(block, "body", ()))
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Break):
            return True
        if isinstance(node, (cst.For, cst.While, cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            if isinstance(node, (cst.For, cst.While)) and node.orelse is not None:
                stack.extend(node.orelse.body.body)
            continue
        stack.extend(children(node))
    return False
