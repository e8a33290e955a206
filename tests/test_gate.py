"""The CI gate: it cannot go green by mistake, and the configuration is what CI jobs need."""

import io
import json
import subprocess
import sys
import textwrap

import pytest

BROKEN = "def f(:\n    pass\n"
BREAKS = """
import torch

@torch.compile
def f(x):
    print(x)
    return x + 1
"""
FIXABLE = """
import torch
from torch.nn.attention.flex_attention import create_block_mask


def always(b, h, q_idx, kv_idx):
    return True


def mask(n):
    return create_block_mask(always, None, None, n, n)
"""


def write(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())


def codes(out):
    return [f["code"] for f in json.loads(out)["findings"]]


# 1. the tool's own codes ------------------------------------------------------------------

def test_own_codes_are_reported_whatever_select_says(tmp_path, run_cli):
    write(tmp_path, {"pyproject.toml": '[tool.compile-audit]\nselect = ["CA1", "CA2"]\n', "bad.py": BROKEN})
    code, out, _ = run_cli("scan", ".", "--no-cache", "--output-format", "json", cwd=tmp_path)
    assert code == 1 and codes(out) == ["CA901"]
    code, out, _ = run_cli("scan", ".", "--no-cache", "--output-format", "json", "--ignore", "CA9", cwd=tmp_path)
    assert code == 1 and codes(out) == ["CA901"], "a prefix does not hide the tool's own codes"
    code, out, _ = run_cli("scan", ".", "--no-cache", "--output-format", "json", "--ignore", "CA901", cwd=tmp_path)
    assert code == 0 and codes(out) == []


def test_own_codes_survive_prefix_per_file_ignores(tmp_path, run_cli):
    write(tmp_path, {"bad.py": BROKEN})
    code, out, _ = run_cli("scan", ".", "--no-cache", "--output-format", "json", "--per-file-ignores", "bad.py:CA",
                           cwd=tmp_path)
    assert code == 1 and codes(out) == ["CA901"]
    code, out, _ = run_cli("scan", ".", "--no-cache", "--output-format", "json", "--per-file-ignores",
                           "bad.py:CA901", cwd=tmp_path)
    assert code == 0


# 2. refuted findings ------------------------------------------------------------------------

def test_refuted_findings_are_shown_and_do_not_fail(run_cli, tmp_path, monkeypatch):
    from compile_audit import cli
    from compile_audit.core.findings import Finding, Span
    from compile_audit.lint.scan import ScanResult

    finding = Finding("CA101", "defensive-isinstance", "warning", "m.py", Span(3, 5, 3, 20),
                      "`isinstance(a, tuple)` tests a Tensor: dead code", status="refuted")
    result = ScanResult(files=1, findings=[finding])
    args = cli.build_parser().parse_args(["scan", "--output-format", "text"])
    out = io.StringIO()
    assert cli._emit(args, result, out) == cli.EXIT_CLEAN
    assert "(refuted)" in out.getvalue() and "does not fail the check" in out.getvalue()
    assert "1 static finding was refuted by Dynamo" in out.getvalue()
    finding.status = "confirmed"
    assert cli._emit(args, result, io.StringIO()) == cli.EXIT_FINDINGS


# 3. --fix with a baseline; the baseline in the configuration ------------------------------

def test_fix_leaves_baselined_code_alone(tmp_path, run_cli):
    write(tmp_path, {"old.py": FIXABLE})
    code, _, _ = run_cli("scan", ".", "--no-cache", "--write-baseline", "baseline.json", cwd=tmp_path)
    assert code == 0
    write(tmp_path, {"new.py": FIXABLE})
    before = (tmp_path / "old.py").read_text()
    code, out, err = run_cli("scan", ".", "--no-cache", "--fix", "--baseline", "baseline.json",
                             "--output-format", "json", cwd=tmp_path)
    assert (tmp_path / "old.py").read_text() == before, "baselined code was changed"
    assert "return True" not in (tmp_path / "new.py").read_text(), "the new finding was not fixed"
    assert [f["path"] for f in json.loads(out)["findings"]] == []
    assert code == 0, err


def test_baseline_from_the_configuration_relative_to_its_folder(tmp_path, run_cli):
    write(tmp_path, {"proj/pyproject.toml": '[tool.compile-audit]\nbaseline = "ci/baseline.json"\n',
                     "proj/src/m.py": BREAKS})
    (tmp_path / "proj/ci").mkdir()
    code, _, _ = run_cli("scan", "src", "--no-cache", "--write-baseline", "ci/baseline.json", cwd=tmp_path / "proj")
    assert code == 0
    # run from a subfolder: the configured baseline is still found, next to the configuration
    code, out, err = run_cli("scan", ".", "--no-cache", "--output-format", "json", cwd=tmp_path / "proj/src")
    assert code == 1 and codes(out) == ["CA105"], "paths in findings changed with the folder: not baselined"
    code, out, err = run_cli("scan", "src", "--no-cache", "--output-format", "json", cwd=tmp_path / "proj")
    assert code == 0 and codes(out) == [] and "in the baseline" in err


def test_ci_flags_in_the_configuration(tmp_path, run_cli):
    write(tmp_path, {"pyproject.toml": '[tool.compile-audit]\noutput-format = "json"\nstatistics = true\n',
                     "m.py": BREAKS})
    code, out, _ = run_cli("scan", ".", "--no-cache", cwd=tmp_path)
    document = json.loads(out)
    assert code == 1 and document["statistics"] == [{"code": "CA105", "name": "print-in-compiled", "count": 1,
                                                     "fixable": 0}]
    write(tmp_path, {"pyproject.toml": '[tool.compile-audit]\nstatistics = "yes"\n'})
    code, _, err = run_cli("scan", ".", cwd=tmp_path)
    assert code == 2 and "must be true or false" in err


# 4. configuration errors ------------------------------------------------------------------

def test_invalid_pyproject_is_an_error_not_skipped(tmp_path, run_cli):
    write(tmp_path, {"pyproject.toml": '[tool.compile-audit]\nselect = ["CA1"]\n',
                     "sub/pyproject.toml": "[project\nname = 'x'\n", "sub/m.py": BREAKS})
    code, _, err = run_cli("scan", ".", "--no-cache", cwd=tmp_path / "sub")
    assert code == 2 and "pyproject.toml: invalid TOML" in err and "line 1" in err


@pytest.mark.parametrize("table", ["compile_audit", "compileaudit", "compile-audits"])
def test_near_miss_table_names_are_reported(tmp_path, run_cli, table):
    write(tmp_path, {"pyproject.toml": f'[tool.{table}]\nselect = ["CA1"]\n', "m.py": BREAKS})
    code, _, err = run_cli("scan", ".", "--no-cache", cwd=tmp_path)
    assert code == 2 and f"[tool.{table}]" in err and "did you mean [tool.compile-audit]" in err


def test_exclude_and_targets_resolve_against_the_config_folder(tmp_path, run_cli):
    write(tmp_path, {"proj/pyproject.toml": '[tool.compile-audit]\nexclude = ["gen"]\ntargets = ["audits"]\n',
                     "proj/gen/m.py": BREAKS, "proj/src/m.py": BREAKS, "proj/audits/.keep": ""})
    code, out, _ = run_cli("scan", "..", "--no-cache", "--output-format", "json", cwd=tmp_path / "proj/src")
    assert [f["path"] for f in json.loads(out)["findings"]] == ["m.py"]
    code, out, _ = run_cli("scan", ".", "--show-settings", cwd=tmp_path / "proj/src")
    assert json.loads(out)["root"] == str((tmp_path / "proj").resolve())


def test_targets_is_repeatable_and_keeps_the_scan_paths(run_cli):
    from compile_audit.cli import build_parser

    args = build_parser().parse_args(["scan", "--targets", "audits", "src", "--targets", "more"])
    assert [str(p) for p in args.targets] == ["audits", "more"] and [str(p) for p in args.paths] == ["src"]


# 5. --device cuda without a GPU -------------------------------------------------------------

@pytest.mark.dynamic
def test_cuda_without_a_gpu_is_one_error(tmp_path, run_cli):
    pytest.importorskip("torch")
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    write(tmp_path, {"audit_m.py": """
        import torch

        def audit_one():
            return (lambda x: x + 1, (torch.ones(2),))

        def audit_two():
            return (lambda x: x * 2, (torch.ones(2),))
    """})
    code, out, err = run_cli("verify", ".", "--device", "cuda", cwd=tmp_path)
    assert code == 2 and out == ""
    assert err.count("error:") == 1 and "sees no CUDA device" in err


# 6. usability ---------------------------------------------------------------------------------

def test_stdin_with_a_file_name(tmp_path):
    write(tmp_path, {"pyproject.toml": '[tool.compile-audit]\nper-file-ignores = {"legacy/*" = ["CA105"]}\n'})
    run = lambda *a: subprocess.run([sys.executable, "-m", "compile_audit", "scan", "-", *a, "--output-format", "json"],
                                    input=textwrap.dedent(BREAKS), capture_output=True, text=True, cwd=tmp_path)
    proc = run("--stdin-filename", "src/model.py")
    assert proc.returncode == 1, proc.stderr
    assert [(f["code"], f["path"]) for f in json.loads(proc.stdout)["findings"]] == [("CA105", "src/model.py")]
    proc = run("--stdin-filename", "legacy/model.py")
    assert proc.returncode == 0 and json.loads(proc.stdout)["findings"] == []


def test_stdin_fix_writes_the_fixed_source(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "compile_audit", "scan", "-", "--fix", "--stdin-filename", "m.py"],
                          input=textwrap.dedent(FIXABLE), capture_output=True, text=True, cwd=tmp_path)
    assert "return True" not in proc.stdout and "def always" in proc.stdout
    compile(proc.stdout, "m.py", "exec")


def test_gitignored_files_are_skipped_unless_asked(tmp_path, run_cli):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write(tmp_path, {".gitignore": "generated/\n", "generated/m.py": BREAKS, "src/m.py": BREAKS})
    code, out, _ = run_cli("scan", ".", "--no-cache", "--output-format", "json", cwd=tmp_path)
    assert [f["path"] for f in json.loads(out)["findings"]] == ["src/m.py"]
    code, out, _ = run_cli("scan", ".", "--no-cache", "--output-format", "json", "--no-respect-gitignore", cwd=tmp_path)
    assert [f["path"] for f in json.loads(out)["findings"]] == ["generated/m.py", "src/m.py"]
    code, out, _ = run_cli("scan", "generated/m.py", "--no-cache", "--output-format", "json", cwd=tmp_path)
    assert len(json.loads(out)["findings"]) == 1, "a file named on the command line is scanned"
    code, out, _ = run_cli("scan", "generated", "--no-cache", "--output-format", "json", cwd=tmp_path)
    assert len(json.loads(out)["findings"]) == 1, "a folder git ignores as a whole, named on the command line"


def test_text_output_headline_help_note_fixable_and_plurals(tmp_path, run_cli):
    write(tmp_path, {"m.py": FIXABLE, "n.py": """
        import torch

        @torch.compile
        def f(x):
            h = x.relu()
            if h.sum() > 0:
                return h
            return -h
    """})
    code, out, _ = run_cli("scan", ".", "--no-cache", cwd=tmp_path)
    lines = out.splitlines()
    headline = next(line for line in lines if "CA204" in line and line.startswith("m.py"))
    assert "[*]" in headline and len(headline) < 100
    ca104 = next(i for i, line in enumerate(lines) if line.startswith("n.py") and "CA104" in line)
    assert lines[ca104].endswith("`if` on a tensor value")
    assert lines[ca104 + 1].startswith("  help: Python needs a bool")
    assert lines[ca104 + 2].startswith("  note: `h` holds a Tensor")
    assert "Found 2 findings (2 errors) in 2 of 2 files." in out
    assert "[*] 1 fixable with the `--fix` option." in out
    write(tmp_path, {"n.py": "x = 1\n", "m.py": "y = 2\n"})
    clean = run_cli("scan", "m.py", "--no-cache", cwd=tmp_path)[1].strip().splitlines()
    # issue 27: the release the verdicts are for, on clean runs too
    assert clean[0].startswith("compile-audit: verdicts for torch ") and clean[1:] == ["All checks passed (1 file scanned)."]


def test_rule_page_is_markdown_when_piped():
    proc = subprocess.run([sys.executable, "-m", "compile_audit", "rule", "CA102"], capture_output=True, text=True)
    assert proc.stdout.startswith("# CA102: ") and "## What it does" in proc.stdout


def test_rule_page_is_rendered_on_a_terminal(monkeypatch):
    from compile_audit import cli

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    out = Terminal()
    assert cli._rule(cli.build_parser().parse_args(["rule", "CA102"]), out) == 0
    assert "## What it does" not in out.getvalue() and "What it does" in out.getvalue()


def _long_target_result():
    from compile_audit.dynamic.pool import TargetResult
    from compile_audit.dynamic.protocol import Outcome, Verdict
    from compile_audit.dynamic.targets import TargetRef
    from compile_audit.lint.scan import ScanResult

    name = "tests/test_models.py::TestAttention::test_flex_attention_forward_with_a_very_long_parametrized_id[bf16-cpu]"
    ref = TargetRef(file="tests/test_models.py", function="test_flex", line=1, display=name)
    done = TargetResult(ref, Outcome(strict=Verdict("compiled"), seconds=12.5))
    return name, ScanResult(targets=[done], torch_version="2.13.0", dynamic=True)


def test_targets_table_keeps_every_column_however_long_the_names():
    """Issue 27: on a terminal the name column wraps; the verdict, breaks and seconds columns stay."""
    from rich.console import Console

    from compile_audit.report.text import TABLE_WIDTH, TARGET_COLUMNS, targets_table

    name, result = _long_target_result()
    for width in (TABLE_WIDTH, 120, 160):  # narrower terminals get one block per target
        out = io.StringIO()
        Console(file=out, width=width).print(targets_table(result))
        text = out.getvalue()
        for header in TARGET_COLUMNS:
            assert header in text, (width, text)
        assert "12.50" in text and "compiled" in text
        lines = text.splitlines()
        header = next(i for i, line in enumerate(lines) if "fullgraph=True" in line and "audit targets" not in line)
        column_end = lines[header].index("fullgraph=True")
        assert "".join(line[:column_end].strip() for line in lines[header + 1:]) == name, text


def test_targets_in_a_log_are_one_block_per_target():
    """Issue 27: in a CI log (no terminal) each target's name is whole on its line and every
    column follows, named."""
    from compile_audit.report import render

    name, result = _long_target_result()
    out = io.StringIO()  # not a terminal
    render("text", result, out)
    lines = out.getvalue().splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() == name)
    for header in ("fullgraph=True: compiled", "default-mode breaks: 0", "seconds: 12.50"):
        assert header in lines[at + 1], lines[at + 1]


def test_refuted_findings_do_not_fail_in_machine_formats():
    import xml.etree.ElementTree as ET

    from compile_audit.core.findings import Finding, Span
    from compile_audit.report import render
    from compile_audit.lint.scan import ScanResult

    refuted = Finding("CA101", "defensive-isinstance", "warning", "m.py", Span(3, 5, 3, 20), "dead code",
                      status="refuted")
    confirmed = Finding("CA104", "tensor-control-flow", "error", "m.py", Span(5, 5, 5, 20), "if on a tensor",
                        status="confirmed")
    result = ScanResult(files=1, findings=[refuted, confirmed])
    out = io.StringIO()
    render("github", result, out)
    assert out.getvalue().startswith("::notice ") and "\n::error " in out.getvalue()
    out = io.StringIO()
    render("junit", result, out)
    assert ET.fromstring(out.getvalue()).get("failures") == "1"
    out = io.StringIO()
    render("sarif", result, out)
    results = json.loads(out.getvalue())["runs"][0]["results"]
    assert [(r.get("kind", "fail"), r["level"]) for r in results] == [("pass", "none"), ("fail", "error")]
