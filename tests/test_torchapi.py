"""The torch API tables and the one compile-guard interpreter (compile_audit.analysis.torchapi):
the libcst side (the per-file scope and context) and the ``ast`` side (the project index) read a
test the same way."""

import ast
import textwrap

import libcst as cst
import pytest

from compile_audit.analysis import project, traced
from compile_audit.analysis.scope import CompiledScope
from compile_audit.analysis.torchapi import GUARDS, fold, under_dynamo
from compile_audit.lint.context import FileContext

IMPORTS = """
import torch
import torch.jit
from torch._dynamo import is_compiling as dynamo_compiling
from transformers.utils import is_torchdynamo_compiling
from torch._utils import _is_compiling
from some.tracing import is_tracing_state
"""

#: a test -> its value while Dynamo traces (None: not fixed by compile guards)
CASES = {
    "torch.compiler.is_compiling()": True,
    "torch.compiler.is_dynamo_compiling()": True,
    "torch._dynamo.is_compiling()": True,
    "dynamo_compiling()": True,
    "is_torchdynamo_compiling()": True,
    "_is_compiling()": True,
    "is_tracing_state()": False,
    "torch.jit.is_scripting()": False,
    "torch.jit.is_tracing()": False,
    "torch._C._get_tracing_state()": False,
    "torch.onnx.is_in_onnx_export()": False,
    "not is_torchdynamo_compiling()": False,
    "not torch.jit.is_scripting()": True,
    "flag": None,
    "not flag": None,
    "is_torchdynamo_compiling() or flag": True,
    "flag or _is_compiling()": True,
    "flag and _is_compiling()": None,
    "flag and is_tracing_state()": False,
    "torch.jit.is_scripting() or flag": None,
    "torch.jit.is_scripting() or torch.jit.is_tracing()": False,
    "_is_compiling() and torch.compiler.is_compiling()": True,
    "not (torch.jit.is_scripting() or is_tracing_state())": True,
    "flag or x or is_torchdynamo_compiling()": True,
    "a and b and torch.onnx.is_in_onnx_export()": False,
    "len(x) > 0": None,
    "helper()": None,
}


def _libcst_value(test: str):
    module = cst.parse_module(textwrap.dedent(IMPORTS) + f"if {test}:\n    pass\n")
    statement = module.body[-1]
    assert isinstance(statement, cst.If)
    scope = CompiledScope(module, "m.py")
    context = FileContext("m.py", module, scope, None, "2.13")
    return context.under_dynamo(statement.test)


def _ast_value(test: str):
    indexer = project._FileIndex(project.ProjectIndex(), "m", False, "m.py", [])
    for statement in ast.parse(textwrap.dedent(IMPORTS)).body:
        indexer._top(statement)
    node = ast.parse(test, mode="eval").body
    branches = traced.traced_branches(node, set(), None, indexer.qualify)
    return {frozenset({"body"}): True, frozenset({"orelse"}): False}.get(frozenset(branches))


@pytest.mark.parametrize("test", sorted(CASES))
def test_the_libcst_and_ast_sides_agree(test):
    assert _libcst_value(test) == CASES[test]
    assert _ast_value(test) == CASES[test]


def test_every_guard_name_is_known_to_both_sides():
    for name, value in GUARDS.items():
        assert _libcst_value(f"torch.x.{name}()") is value
        assert _ast_value(f"{name}()") is value


def test_a_librarys_own_is_tracing_of_a_tensor_is_true_under_dynamo():
    # transformers' is_tracing(tensor): Dynamo, FX or TorchScript tracing; torch.jit's takes nothing
    assert _libcst_value("is_tracing(mask)") is True and _ast_value("is_tracing(mask)") is True
    assert _libcst_value("torch.jit.is_tracing()") is False


def test_fold_is_three_valued_over_both_trees():
    leaf = {"t": True, "f": False}.get

    def cst_leaf(expr):
        return leaf(expr.value) if isinstance(expr, cst.Name) else None

    def ast_leaf(expr):
        return leaf(expr.id) if isinstance(expr, ast.Name) else None

    for text, expected in [("t and u", None), ("f and u", False), ("t or u", True), ("not u", None),
                           ("not f", True), ("t and t", True), ("f or f", False), ("u or f or t", True)]:
        assert fold(cst.parse_expression(text), cst_leaf) is expected, text
        assert fold(ast.parse(text, mode="eval").body, ast_leaf) is expected, text
    assert under_dynamo(cst.parse_expression("x")) is None
