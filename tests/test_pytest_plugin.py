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


def test_a_break_in_a_function_the_fixture_compiles_is_predicted(pytester):
    """Issue 27: `check(scale, ...)` compiles `scale`, so the scan behind "predicted by" sees its
    `.item()` as compiled code (CA102), as `compile-audit scan` does."""
    pytester.makepyfile(helpers="""
        def scale(x):
            return x * x.sum().item()
        """)
    pytester.makepyfile(test_helpers="""
        import torch
        from helpers import scale

        def test_scale(compile_audit):
            compile_audit.check(scale, torch.ones(3))
        """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*helpers.py:2 in scale*", "*predicted by CA102*"])
    assert "no compile-audit rule predicted it" not in result.stdout.str()


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


def test_a_worker_that_does_not_start_fails_its_item_and_is_replaced(pytester, monkeypatch, tmp_path):
    """A worker that hangs while importing torch is killed after the start timeout; the item
    fails with that reason, and the next item gets a fresh worker."""
    import os
    import time

    from conftest import ROOT

    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import os, time\n"
        "if os.environ.get('COMPILE_AUDIT_ROOTS'):\n"
        "    open(os.path.join(os.path.dirname(__file__), 'pids'), 'a').write(f'{os.getpid()}\\n')\n"
        "    time.sleep(600)\n"
    )
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(hook), str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
    monkeypatch.setenv("COMPILE_AUDIT_STARTUP_TIMEOUT", "3")
    pytester.makepyfile(model=MODEL)
    pytester.makepyfile(
        audit_model="""
        import torch
        from model import Fixed

        def audit_first():
            return Fixed(), (torch.ones(3),)

        def audit_second():
            return Fixed(), (torch.ones(3),)
        """
    )
    started = time.monotonic()
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--compile-audit", timeout=120)
    assert time.monotonic() - started < 60
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["*audit_first: start error: the worker did not start within 3 s*"])
    assert "AttributeError" not in result.stdout.str()
    pids = [int(p) for p in (hook / "pids").read_text().split()]
    assert len(pids) == 2
    time.sleep(0.5)
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        with open(f"/proc/{pid}/stat") as stat:
            assert stat.read().split(")")[-1].split()[0] == "Z", f"worker {pid} is still running"


def test_the_plugin_works_under_pytest_xdist(pytester):
    """Issue 30: the marker, the fixture and the audit-target items give the same results in
    pytest-xdist's worker processes (`-n 2`) as in one process."""
    pytest.importorskip("xdist")
    pytester.makepyfile(model=MODEL)
    pytester.makepyfile(
        test_model="""
        import pytest
        import torch
        from model import Fixed, Gate

        @pytest.mark.compile_audit
        def test_marked_break():
            torch.compile(Gate(), backend="eager")(torch.ones(3))

        def test_fixture_clean(compile_audit):
            compile_audit.check(Fixed(), torch.ones(3))

        def test_fixture_break(compile_audit):
            compile_audit.check(Gate(), torch.ones(3))
        """,
        audit_model="""
        import torch
        from model import Fixed, Gate

        def audit_gate():
            return Gate(), (torch.ones(3),)

        def audit_fixed():
            return Fixed(), (torch.ones(3),)
        """,
    )
    one = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--compile-audit", "-v")
    both = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--compile-audit", "-v", "-n", "2")
    one.assert_outcomes(passed=2, failed=3)
    both.assert_outcomes(passed=2, failed=3)
    both.stdout.fnmatch_lines(["*2 workers*"])
    for name in ("test_marked_break", "test_fixture_break", "audit_gate"):
        both.stdout.fnmatch_lines([f"*FAILED*{name}*"])
    both.stdout.fnmatch_lines(["*audit_gate: 1 graph break*", "*GB0170 Data-dependent branching*"])
