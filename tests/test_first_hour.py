"""What a new user trips on in the first hour (issue 27): one test per item."""

import io
import json
import os
import re
import stat
import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT

GOOD = textwrap.dedent(
    """\
    import torch

    @torch.compile
    def f(x):
        if x.sum() > 0:
            return x
        return -x
    """
)


def write(folder, files):
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


# 1. installing -------------------------------------------------------------------------------

def test_readme_installs_from_the_checkout_first():
    text = (ROOT / "README.md").read_text()
    use = text[text.index("## Use"):]
    installs = re.findall(r"^pip install (\S+)", use, re.M)
    assert installs[:3] == [".", "'.[dynamic]'", "'.[lsp]'"], installs
    # the index line is kept for when it is published, marked so
    assert "once published: pip install compile-audit" in use
    assert use.index("pip install .") < use.index("pip install compile-audit")


# 2. CI logs: a target that timed out shows the time it ran ------------------------------------

def test_a_timed_out_target_shows_the_time_it_ran():
    import time

    from compile_audit.dynamic import pool

    class Hangs:
        def wait_ready(self):
            pass

        def run(self, request, timeout):
            time.sleep(0.2)
            raise TimeoutError

        def kill(self):
            pass

        def _release(self):
            pass

    outcome, worker = pool.run_one(Hangs(), None, request=None, timeout=0.2)
    assert worker is None and outcome.error.kind == "timeout"
    assert outcome.seconds >= 0.2


# 3. one bad path does not stop the others ----------------------------------------------------

def test_a_missing_path_is_reported_and_the_rest_scanned(run_cli, tmp_path):
    write(tmp_path, {"good.py": GOOD})
    code, out, err = run_cli("scan", "good.py", "missing/", "--no-cache", cwd=tmp_path)
    assert code == 2  # as ruff: the error decides the exit code, at the end
    assert "good.py:5:8: CA104" in out
    assert err.strip().splitlines() == ["compile-audit: error: missing: no such file or directory"]
    code, out, _ = run_cli("scan", "good.py", "missing/", "--no-cache", "--output-format", "json", cwd=tmp_path)
    document = json.loads(out)
    assert code == 2 and document["errors"] == [{"path": "missing", "message": "no such file or directory"}]
    assert [f["code"] for f in document["findings"]] == ["CA104"]


# 4. a torch release no rule covers -------------------------------------------------------------

def test_a_release_no_rule_covers_is_an_error_not_a_pass(run_cli, tmp_path):
    write(tmp_path, {"m.py": GOOD})
    code, out, err = run_cli("scan", "m.py", "--no-cache", "--target-torch", "2.4", cwd=tmp_path)
    assert code == 2 and "All checks passed" not in out
    assert "no selected rule covers torch 2.4 (--target-torch)" in err and ">=2.5" in err
    write(tmp_path, {"pyproject.toml": '[tool.compile-audit]\ntarget-torch = "2.4"\n'})
    code, _, err = run_cli("scan", "m.py", "--no-cache", cwd=tmp_path)
    assert code == 2 and "target-torch in the configuration" in err


def test_a_found_release_no_rule_covers_warns_loudly(run_cli, tmp_path):
    """A pinned torch 2.4 (not named by the user): a warning on stderr, and the banner says it."""
    write(tmp_path, {"m.py": GOOD, "requirements.txt": "torch==2.4.1\n"})
    from compile_audit.core import torch_release

    real = torch_release.installed
    torch_release.installed = lambda: None
    try:
        code, out, err = run_cli("scan", "m.py", "--no-cache", cwd=tmp_path)
    finally:
        torch_release.installed = real
    assert "warning: no selected rule covers torch 2.4.1 (pinned in requirements.txt)" in err
    assert out.splitlines()[0].startswith("compile-audit: verdicts for torch 2.4.1")
    assert code == 0


# 5. output details ------------------------------------------------------------------------------

def test_only_unsafe_fixes_reads_like_ruff(run_cli, tmp_path):
    write(tmp_path, {"m.py": """\
        import torch

        @torch.compile
        def f(x):
            print(x)
            return x
        """})
    code, out, _ = run_cli("scan", "m.py", "--no-cache", "--no-source", cwd=tmp_path)
    assert out.strip().splitlines()[-1] == (
        "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option).")
    code, out, _ = run_cli("scan", "m.py", "--no-cache", "--no-source", "--unsafe-fixes", cwd=tmp_path)
    assert out.strip().splitlines()[-1] == "[*] 1 fixable with `--fix --unsafe-fixes`."


def test_committed_files_follow_the_umask(tmp_path):
    from compile_audit.core.baseline import write_json

    old = os.umask(0o022)
    try:
        write_json(tmp_path / "compile-audit.verdicts.json", {"version": 1})
        assert stat.S_IMODE((tmp_path / "compile-audit.verdicts.json").stat().st_mode) == 0o644
        os.chmod(tmp_path / "compile-audit.verdicts.json", 0o664)  # a rewrite keeps the file's own mode
        write_json(tmp_path / "compile-audit.verdicts.json", {"version": 1})
        assert stat.S_IMODE((tmp_path / "compile-audit.verdicts.json").stat().st_mode) == 0o664
    finally:
        os.umask(old)


def test_json_torch_is_what_ran_or_is_installed_never_an_assumption(run_cli, tmp_path, monkeypatch):
    from compile_audit.core import torch_release

    monkeypatch.setattr(torch_release, "installed", lambda: None)
    write(tmp_path, {"m.py": GOOD})
    out = run_cli("scan", "m.py", "--no-cache", "--output-format", "json", cwd=tmp_path)[1]
    document = json.loads(out)
    assert document["torch"] is None
    assert "assumed" in document["target_torch"]["source"]
    monkeypatch.setattr(torch_release, "installed", lambda: "2.13.0")
    document = json.loads(run_cli("scan", "m.py", "--no-cache", "--output-format", "json", cwd=tmp_path)[1])
    assert document["torch"] == "2.13.0" and document["target_torch"]["source"] == "installed"


def test_an_unknown_selector_in_the_configuration_names_the_file_and_key(run_cli, tmp_path):
    write(tmp_path, {"m.py": GOOD, "pyproject.toml": '[tool.compile-audit]\nextend-select = ["CA9999"]\n'})
    code, _, err = run_cli("scan", "m.py", cwd=tmp_path)
    assert code == 2
    assert err.strip() == ("compile-audit: error: pyproject.toml: [tool.compile-audit] extend-select: unknown rule "
                           "selector 'CA9999' (see `compile-audit rules`)")
    write(tmp_path, {"pyproject.toml": "[tool.compile-audit]\n"})
    code, _, err = run_cli("scan", "m.py", "--ignore", "CA9998", cwd=tmp_path)
    assert code == 2 and "--ignore: unknown rule selector 'CA9998'" in err


def test_config_shows_the_folders_skipped_by_default(run_cli, tmp_path):
    code, out, _ = run_cli("config", cwd=tmp_path)
    skipped = json.loads(out)["skipped-by-default"]
    assert code == 0 and {"build", "dist", ".venv", "venv", "site-packages", "*.egg-info"} <= set(skipped)
    assert any("pyvenv.cfg" in s for s in skipped)
    readme = (ROOT / "README.md").read_text()
    assert "`build/`, `dist/`, virtual environments" in readme and "skipped-by-default" in readme


# 6. the pytest plugin's predictions see what the plugin compiles --------------------------------

def test_a_function_the_tests_compile_through_the_fixture_or_a_target_is_compiled_code(run_cli, tmp_path):
    """`compile_audit.check(fn, ...)` and `Target(fn, ...)` compile ``fn``: the static scan (and so
    the plugin's "predicted by") sees its `.item()`; a helper nothing compiles stays quiet."""
    write(tmp_path, {
        "pyproject.toml": "[tool.compile-audit]\n",
        "helpers.py": """\
            def scale(x):
                return x * x.sum().item()

            def shift(x):
                return x + x.sum().item()

            def untouched(x):
                return x.sum().item()
            """,
        "tests/test_helpers.py": """\
            import torch
            from helpers import scale

            def test_scale(compile_audit):
                compile_audit.check(scale, torch.ones(3))
            """,
        "audits/audit_helpers.py": """\
            import torch
            from compile_audit import Target
            from helpers import shift

            def audit_shift():
                return Target(shift, args=(torch.ones(3),))
            """,
    })
    for asked in (".", "helpers.py"):  # the same answer for the file alone (the plugin's scan)
        out = run_cli("scan", asked, "--no-cache", "--output-format", "json", cwd=tmp_path)[1]
        found = sorted((f["path"], f["line"], f["code"]) for f in json.loads(out)["findings"])
        assert found == [("helpers.py", 2, "CA102"), ("helpers.py", 5, "CA102")], found


# 7. the nested project collects from the repository root ----------------------------------------

@pytest.mark.dynamic
def test_pytest_compile_audit_collects_the_fixtures_from_the_root():
    proc = subprocess.run([sys.executable, "-m", "pytest", "--compile-audit", "fixtures", "--collect-only", "-q",
                           "-p", "no:cacheprovider"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "fixtures/tested_project/tests/test_model.py::test_generate_appends_tokens" in proc.stdout
    assert "fixtures/everyday/audit_everyday.py::" in proc.stdout


# 8. the test command says how long it takes and which phase runs --------------------------------

def test_the_test_command_announces_its_phases_and_the_readme_its_duration():
    sys.path.insert(0, str(ROOT))
    try:
        import dev
    finally:
        sys.path.remove(str(ROOT))
    readme = (ROOT / "README.md").read_text()
    assert 'python3 dev.py test -m "not dynamic"' in readme and "about 10 minutes in all" in readme
    assert [name for name, _, _ in dev.TEST_PHASES] == ["static", "dynamic"]
    calls = []
    real_run = dev.run
    dev.run = lambda *argv: calls.append(argv) or 0
    out = io.StringIO()
    real_stdout, sys.stdout = sys.stdout, out
    try:
        assert dev.test([]) == 0
    finally:
        dev.run, sys.stdout = real_run, real_stdout
    phases = [line for line in out.getvalue().splitlines() if line.startswith("dev: phase")]
    assert [p.split(":")[1].strip() for p in phases] == ["phase 1/3", "phase 2/3", "phase 3/3"]
    assert [c[-1] for c in calls[1:]] == ["not dynamic", "dynamic"]
    # a failing phase fails the command (CI must fail when a test fails)
    dev.run = lambda *argv: 1 if argv[-1] == "dynamic" else 0
    sys.stdout = io.StringIO()
    try:
        assert dev.test([]) == 1
    finally:
        dev.run, sys.stdout = real_run, real_stdout
