"""What a rule sees of the file while the engine walks it: names, scope, tensors, reporting."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

import libcst as cst

from compile_audit.scope import CompiledScope, FunctionInfo
from compile_audit.torch_types import TorchTypes
from compile_audit.values import Value, ValueModel

if TYPE_CHECKING:  # pragma: no cover
    from compile_audit.rule import Rule

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


class FileContext:
    def __init__(
        self, path: str, module: cst.Module, torch_types: Optional[TorchTypes] = None, project=None,
        module_name: Optional[tuple[str, bool]] = None,
    ) -> None:
        self.path = path
        self.module = module
        self.scope = CompiledScope(module, path, project, module_name)
        self.values = ValueModel(self.scope, torch_types)
        self.reports: list[tuple["Rule", cst.CSTNode, str, object, Optional[Value]]] = []
        #: the nodes from the module down to the one being visited (maintained by the walker)
        self.ancestors: list[cst.CSTNode] = []
        self._functions: list[FunctionInfo] = []
        self._eager_depth = 0

    # names -------------------------------------------------------------------------------
    def qualified_name(self, expr: cst.BaseExpression) -> Optional[str]:
        return self.scope.imports.resolve(expr)

    # where the walk is -------------------------------------------------------------------
    @property
    def current_function(self) -> Optional[FunctionInfo]:
        return self._functions[-1] if self._functions else None

    @property
    def in_compiled(self) -> bool:
        func = self.current_function
        return func is not None and func.is_compiled and self._eager_depth == 0

    @property
    def in_mod(self) -> bool:
        """Inside a FlexAttention ``score_mod``/``mask_mod`` (the CA2xx rules own those)."""
        func = self.current_function
        return func is not None and func.role == "mod"

    def value(self, expr: cst.BaseExpression) -> Value:
        """What ``expr`` holds where the walk is (the definitions that reach this statement)."""
        return self.values.value(expr, self.current_function, self.ancestors)

    def is_tensor(self, expr: cst.BaseExpression) -> bool:
        return self.value(expr).is_tensor

    def tensor(self, expr: cst.BaseExpression) -> Optional[Value]:
        """The value of ``expr`` when the model believes it is a Tensor (the evidence for a
        finding's message), else None."""
        value = self.value(expr)
        return value if value.is_tensor else None

    def report(
        self, rule: "Rule", node: cst.CSTNode, message: str, fix: object = None, evidence: Optional[Value] = None
    ) -> None:
        self.reports.append((rule, node, message, fix, evidence))

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
        if isinstance(node, cst.FunctionDef):
            self._functions.append(self.scope.functions[node])

    def leave(self, node: cst.CSTNode) -> None:
        if isinstance(node, cst.FunctionDef):
            self._functions.pop()

    def eager_branch(self, node: cst.If) -> Optional[str]:
        """The branch ("body"/"orelse") Dynamo never traces: the ``else`` of
        ``if is_compiling():``, the body of ``if torch.jit.is_scripting():`` (False under
        Dynamo), and ``and``/``or``/``not`` combinations of such tests."""
        value = self.under_dynamo(node.test)
        if value is None:
            return None
        return "orelse" if value else "body"

    def under_dynamo(self, test: cst.BaseExpression) -> Optional[bool]:
        """The value a test has while Dynamo traces, when it is fixed; else None."""
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            inner = self.under_dynamo(test.expression)
            return None if inner is None else not inner
        if isinstance(test, cst.BooleanOperation):
            left, right = self.under_dynamo(test.left), self.under_dynamo(test.right)
            if isinstance(test.operator, cst.Or):
                if left is True or right is True:
                    return True
                return False if left is False and right is False else None
            if left is False or right is False:
                return False
            return True if left is True and right is True else None
        if isinstance(test, cst.Call):
            qn = self.qualified_name(test.func)
            if qn in IS_COMPILING:
                return True
            if qn in NOT_UNDER_DYNAMO:
                return False
        return None

    def enter_eager(self) -> None:
        self._eager_depth += 1

    def leave_eager(self) -> None:
        self._eager_depth -= 1
