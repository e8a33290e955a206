"""The torch API the analysis knows by name, and the one interpreter of compile guards.

Tables: what compiles and what disables (``torch.compile``, ``torch.compiler.disable``), the
FlexAttention callables and the mods they take, the calls that return tensors, the tests whose
value is fixed while Dynamo traces. Both the per-file analysis (libcst) and the project index
(CPython's ``ast``) read them from here, so the two agree on what a name means.

The compile-guard interpreter ``under_dynamo`` folds ``not``/``and``/``or`` over calls of
compile guards (``is_compiling()`` is True under Dynamo; ``torch.jit.is_scripting()`` and the
other TorchScript/ONNX tests are False) in three-valued logic. It reads either kind of tree:
the libcst side passes a resolver for qualified names, the ``ast`` side the names as written.

This module imports no other module of the package.
"""

from __future__ import annotations

import ast
import sys
from typing import TYPE_CHECKING, Callable, Optional

if TYPE_CHECKING:
    import libcst as cst


def _libcst():
    """libcst, imported when a libcst node is met: the project index reads ``ast`` alone, so a
    warm scan (every file cached) never imports libcst."""
    return sys.modules.get("libcst") or __import__("libcst")

COMPILE = frozenset({"torch.compile", "torch._dynamo.optimize"})
#: the tool's own ways of compiling a callable: an audit target ``Target(fn, ...)`` and the pytest
#: fixture's ``compile_audit.check(fn, ...)`` compile their first argument, as ``torch.compile`` does
AUDIT_COMPILE = frozenset({"compile_audit.Target", "compile_audit.dynamic.targets.Target"})
FIXTURE = "compile_audit"
DISABLE = frozenset({"torch.compiler.disable", "torch._dynamo.disable", "torch._disable_dynamo"})
#: decorators whose function Dynamo does not trace, called without a graph break: non-strict
#: tracing, an opaque leaf, a custom operator (Dynamo sees only its fake implementation)
OPAQUE = frozenset({"torch.compiler.nonstrict_trace", "torch._dynamo.nonstrict_trace",
                    "torch._dynamo.decorators.nonstrict_trace", "torch._dynamo.decorators.leaf_function",
                    "torch._dynamo.leaf_function", "torch.compiler.leaf_function", "torch.library.custom_op",
                    "torch._library.custom_ops.custom_op"})

FLEX = "torch.nn.attention.flex_attention"
FLEX_ATTENTION = f"{FLEX}.flex_attention"
CREATE_BLOCK_MASK = f"{FLEX}.create_block_mask"
SDPA = "torch.nn.functional.scaled_dot_product_attention"
# callable -> (positional index of the mod, keyword name) for each mod argument it takes
MOD_TAKERS: dict[str, tuple[tuple[int, str], ...]] = {
    FLEX_ATTENTION: ((3, "score_mod"),),
    CREATE_BLOCK_MASK: ((0, "mask_mod"),),
    f"{FLEX}.create_mask": ((0, "mod_fn"),),
}
MASK_COMBINATORS = frozenset({f"{FLEX}.and_masks", f"{FLEX}.or_masks"})
MOD_SIGNATURES = frozenset({f"{FLEX}._mask_mod_signature", f"{FLEX}._score_mod_signature"})
#: keywords of ``flex_attention`` that make it return a tuple
TUPLE_OPTIONS = ("return_lse", "return_aux")
#: methods that register a callable Dynamo traces as part of the module's call
HOOK_REGISTRARS = frozenset({"register_forward_hook", "register_forward_pre_hook"})
AUTOGRAD_FUNCTIONS = frozenset({"torch.autograd.Function", "torch.autograd.function.Function"})
#: exceptions a tensor operation raises at run time: under Dynamo (fake tensors) the operation
#: does not raise while tracing, so a handler for them is never traced
RUNTIME_TENSOR_ERRORS = frozenset({"builtins.RuntimeError", "torch.linalg.LinAlgError", "torch._C._LinAlgError"})
#: calls that bound an unbacked symbol (code written for torch.export / capture_scalar_outputs)
SCALAR_CHECKS = frozenset(
    {
        "torch._check", "torch._check_is_size", "torch._check_with", "torch._constrain_as_size",
        "torch._constrain_as_value", "torch._check_value", "torch._check_index",
    }
)

#: compile guards by the name of the function called -> its value while Dynamo traces. True:
#: ``torch.compiler.is_compiling``, ``torch.compiler.is_dynamo_compiling``,
#: ``torch._dynamo.is_compiling``, ``torch._utils.is_compiling``, transformers'
#: ``is_torchdynamo_compiling``, ``_is_compiling``. False (TorchScript and ONNX export paths):
#: ``torch.jit.is_scripting``, ``torch._jit_internal.is_scripting``, ``torch.jit.is_tracing``,
#: ``torch._C._get_tracing_state``, ``torch.onnx.is_in_onnx_export``, ``is_tracing_state``.
GUARDS: dict[str, bool] = {
    "is_compiling": True, "is_dynamo_compiling": True, "is_torchdynamo_compiling": True, "_is_compiling": True,
    "is_scripting": False, "is_tracing": False, "_get_tracing_state": False, "is_in_onnx_export": False,
    "is_tracing_state": False,
}


def fold(test, leaf: Callable[[object], Optional[bool]]) -> Optional[bool]:
    """A test's value when its parts are known: ``not``, ``and``, ``or`` (libcst or ``ast``
    nodes) over ``leaf(expr)`` (True, False, or None for unknown), in three-valued logic."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        operator, operands = "not", [test.operand]
    elif isinstance(test, ast.BoolOp):
        operator, operands = "or" if isinstance(test.op, ast.Or) else "and", list(test.values)
    elif isinstance(test, ast.AST):
        return leaf(test)
    elif isinstance(test, _libcst().UnaryOperation) and isinstance(test.operator, _libcst().Not):
        operator, operands = "not", [test.expression]
    elif isinstance(test, _libcst().BooleanOperation):
        operator, operands = "or" if isinstance(test.operator, _libcst().Or) else "and", [test.left, test.right]
    else:
        return leaf(test)
    values = [fold(operand, leaf) for operand in operands]
    if operator == "not":
        return None if values[0] is None else not values[0]
    decisive = operator == "or"  # True decides an ``or``, False an ``and``
    if decisive in values:
        return decisive
    return (not decisive) if all(v is (not decisive) for v in values) else None


def _written_name(func) -> str:
    """The name a call's function is written with: ``is_compiling`` of ``torch.compiler.is_compiling``."""
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.AST):
        return ""
    cst = _libcst()
    if isinstance(func, cst.Attribute):
        return func.attr.value
    if isinstance(func, cst.Name):
        return func.value
    return ""


def guard_call(expr, resolve: Optional[Callable] = None) -> Optional[bool]:
    """The value of a call of a compile guard while Dynamo traces; None for anything else.
    ``resolve`` gives a callee's qualified name (libcst side), else the name as written counts."""
    if isinstance(expr, ast.AST):
        func = expr.func if isinstance(expr, ast.Call) else None
    else:
        func = expr.func if isinstance(expr, _libcst().Call) else None
    if func is None:
        return None
    qualified = resolve(func) if resolve is not None else None
    name = qualified.rsplit(".", 1)[-1] if qualified else _written_name(func)
    if name == "is_tracing" and getattr(expr, "args", None) and not (qualified or "").startswith("torch."):
        # a library's own `is_tracing(tensor)` (transformers'): any tracing, Dynamo's included;
        # torch.jit.is_tracing(), which takes nothing, is TorchScript's alone, False under Dynamo
        return True
    return GUARDS.get(name)


def under_dynamo(test, resolve: Optional[Callable] = None) -> Optional[bool]:
    """The value a test has while Dynamo traces, when compile guards fix it (``is_compiling()``
    is True, ``torch.jit.is_scripting()`` False, and ``and``/``or``/``not`` of them); else None."""
    return fold(test, lambda leaf: guard_call(leaf, resolve))


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


def argument(call: cst.Call, index: int, keyword: str) -> Optional[cst.BaseExpression]:
    """The argument a call passes by ``keyword`` or at positional ``index``."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if len(positional) > index:
        return positional[index].value
    return None
