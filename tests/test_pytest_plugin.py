"""The pytest plugin, tested with pytester (marker dynamic: it compiles)."""

import pytest

pytestmark = pytest.mark.dynamic
pytest.importorskip("torch")
pytest_plugins = ["pytester"]

MODEL = """
import torch

class Gate(torch.nn.Module):
    def forward(self, x):
        if x.sum() > 0:
            return x * 2
        return -x

class Fixed(torch.nn.Module):
    def forward(self, x):
        return torch.where(x.sum() > 0, x * 2, -x)
"""


def test_check_fails_with_the_break_list_and_passes_once_fixed(pytester):
    pytester.makepyfile(model=MODEL)
    pytester.makepyfile(
        test_model="""
        import torch
        from model import Fixed, Gate

        def test_gate(compile_audit):
            compile_audit.check(Gate(), torch.ones(3))

        def test_fixed(compile_audit):
            compile_audit.check(Fixed(), torch.ones(3))
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "*compile_audit.check(Gate): 1 graph break*",
        "*graph break 1 of 1: GB0170 Data-dependent branching*",
        "*model.py:5 in forward*",
        "*if x.sum() > 0:*",
        "*predicted by CA104 tensor-control-flow*",
    ])
    assert "Traceback" not in result.stdout.str()


def test_marker_fails_on_breaks_and_honours_allowed_codes(pytester):
    pytester.makepyfile(model=MODEL)
    pytester.makepyfile(
        test_marker="""
        import pytest
        import torch
        from model import Fixed, Gate

        @pytest.mark.compile_audit
        def test_breaks():
            torch.compile(Gate(), backend="eager")(torch.ones(3))

        @pytest.mark.compile_audit(allow=["GB0170"])
        def test_allowed():
            torch.compile(Gate(), backend="eager")(torch.ones(3))

        @pytest.mark.compile_audit
        def test_clean():
            torch.compile(Fixed(), backend="eager")(torch.ones(3))

        def test_unmarked_breaks_are_not_checked():
            torch.compile(Gate(), backend="eager")(torch.ones(3))
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["*test_breaks*", "*GB0170 Data-dependent branching*", "*if x.sum() > 0:*"])


def test_collects_audit_targets_as_items(pytester):
    pytester.makepyfile(model=MODEL)
    pytester.makepyfile(
        audit_model="""
        import os
        import torch
        from model import Fixed, Gate

        def audit_gate():
            return Gate(), (torch.ones(3),)

        def audit_fixed():
            return Fixed(), (torch.ones(3),)

        def audit_crash():
            return (lambda x: os._exit(3)), (torch.ones(3),)
        """
    )
    plain = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    plain.assert_outcomes()  # not collected without --compile-audit
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--compile-audit", "-v")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines([
        "*audit_model.py::audit_gate FAILED*", "*audit_model.py::audit_fixed PASSED*", "*audit_model.py::audit_crash FAILED*",
    ])
    result.stdout.fnmatch_lines(["*audit_gate: 1 graph break*", "*audit_crash: crash error*code 3*"])


def test_isolated_check_survives_a_crash(pytester):
    pytester.makeini("[pytest]\ncompile_audit_isolate = true\n")
    pytester.makepyfile(
        test_crash="""
        import os
        import torch

        def test_crash(compile_audit):
            compile_audit.check(lambda x: os._exit(5), torch.ones(2))

        def test_after(compile_audit):
            compile_audit.check(lambda x: x + 1, torch.ones(2))
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*killed its process*"])


def test_the_fixtures_audit_targets_run_under_pytest(pytester):
    from conftest import FIXTURES

    import shutil

    shutil.copytree(FIXTURES / "flex_block", pytester.path / "flex_block")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--compile-audit", "flex_block")
    result.assert_outcomes(passed=2)
