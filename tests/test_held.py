"""What a name is assigned (compile_audit.analysis.held): one walk of a scope's bindings, read by
``bindings`` (every ``name = value``, or "other") and ``single_definition`` (the one binding)."""

import textwrap

import libcst as cst
import pytest

from compile_audit.analysis.held import binding_sites, bindings, single_definition


def _func(body: str) -> cst.FunctionDef:
    module = cst.parse_module("def f(p, *args, **kw):\n" + textwrap.indent(textwrap.dedent(body), "    "))
    return module.body[0]


CASES = [
    # body, binding kinds, bindings() kind, single_definition() source
    ("x = a.max()\n", ["assign"], "assign", "a.max()"),
    ("x: int = 3\n", ["annotated"], "assign", "3"),
    ("x: int\nx = 1\n", ["assign", "annotation"], "assign", None),
    ("y = x = 1\n", ["chained"], "assign", None),
    ("x = 1\nx = 2\n", ["assign", "assign"], "assign", None),
    ("x, y = t\n", ["unpack"], "other", None),
    ("x = 1\nx += 1\n", ["augmented", "assign"], "other", None),
    ("for x in t:\n    pass\n", ["loop"], "other", None),
    ("with open(p) as x:\n    pass\n", ["with"], "other", None),
    ("try:\n    pass\nexcept E as x:\n    pass\n", ["except"], "other", None),
    ("import x\nx = 1\n", ["assign", "import"], "other", "1"),
    ("import a as x\n", ["import-as"], "other", None),
    ("x = 1\ndel x\n", ["del", "assign"], "other", "1"),
    ("global x\nx = 1\n", ["assign", "global"], "other", None),
    ("(x := 1)\n", ["walrus"], "other", None),
    ("def x():\n    pass\n", ["def"], "other", None),
    ("x = 1\ndef g():\n    x = 2\nl = [x for x in t]\n", ["assign"], "assign", "1"),
    ("z = 1\n", [], None, None),
]


@pytest.mark.parametrize("body, kinds, how, single", CASES)
def test_one_walk_answers_both_questions(body, kinds, how, single):
    func = _func(body)
    assert sorted(kind for kind, _ in binding_sites(func.body, "x")) == sorted(kinds)
    assert bindings(func.body, "x")[0] == how
    value = single_definition(func, "x")
    assert (None if value is None else cst.Module([]).code_for_node(value)) == single


def test_parameters_have_no_single_definition():
    assert single_definition(_func("p = 1\n"), "p") is None
    assert single_definition(_func("args = 1\n"), "args") is None
