"""The command line contract of DESIGN.md: exit codes, options, JSON schema, rule pages."""

import json
import subprocess
import sys
import textwrap

import pytest

from compile_audit import __version__
from compile_audit.report.rule_page import rule_page
from compile_audit.lint.registry import all_rules, rule_by_code

from conftest import ROOT

BREAK = textwrap.dedent(
    """\
    import torch

    class Net(torch.nn.Module):
        def forward(self, x):
            if x.sum() > 0:
                print(x)
            return x.sum().item()
    """
)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "model.py").write_text(BREAK)
    (tmp_path / "src" / "clean.py").write_text("import torch\n\ndef f(x):\n    return x\n")
    return tmp_path


def test_findings_exit_1_with_code_frames(run_cli, project):
    code, out, err = run_cli("scan", "src", cwd=project)
    assert code == 1, err
    assert "src/model.py:5:12: CA104 [error]" in out
    assert "5 |         if x.sum() > 0:" in out
    assert "  |            ^^^^^^^^^^^ CA104" in out
    assert "\x1b[" not in out  # no colour when not a terminal
    assert "Found 3 findings" in out


def test_clean_exit_0(run_cli, project):
    code, out, _ = run_cli("scan", "src/clean.py", cwd=project)
    assert code == 0
    assert "All checks passed" in out


def test_exit_zero(run_cli, project):
    assert run_cli("scan", "src", "--exit-zero", cwd=project)[0] == 0


def test_missing_path_exits_2_with_one_line(run_cli, project):
    code, out, err = run_cli("scan", "does/not/exist", cwd=project)
    assert code == 2
    assert err.strip().splitlines() == ["compile-audit: error: does/not/exist: no such file or directory"]


def test_select_ignore_extend_select(run_cli, project):
    def found(*options):
        out = run_cli("scan", "src", "--output-format", "json", *options, cwd=project)[1]
        return sorted(f["code"] for f in json.loads(out)["findings"])

    assert found() == ["CA102", "CA104", "CA105"]
    assert found("--select", "CA104") == ["CA104"]
    assert found("--select", "CA10", "--ignore", "CA104,CA105") == ["CA102"]
    assert found("--select", "CA104", "--extend-select", "CA105") == ["CA104", "CA105"]
    assert found("--per-file-ignores", "src/model.py:CA104") == ["CA102", "CA105"]


def test_unknown_selector_exits_2(run_cli, project):
    code, _, err = run_cli("scan", "src", "--select", "XY123", cwd=project)
    assert code == 2 and "unknown rule selector" in err


def test_config_file_is_read_and_validated(run_cli, project):
    (project / "pyproject.toml").write_text('[tool.compile-audit]\nignore = ["CA104"]\nexclude = ["src/clean.py"]\n')
    out = run_cli("scan", "src", "--output-format", "json", cwd=project)[1]
    document = json.loads(out)
    assert sorted(f["code"] for f in document["findings"]) == ["CA102", "CA105"]
    assert document["summary"]["files"] == 1
    (project / "pyproject.toml").write_text('[tool.compile-audit]\nselct = ["CA1"]\n')
    code, _, err = run_cli("scan", "src", cwd=project)
    assert code == 2 and "unknown key `selct`" in err
    (project / "pyproject.toml").write_text('[tool.compile-audit]\ntimeout = "soon"\n')
    code, _, err = run_cli("scan", "src", cwd=project)
    assert code == 2 and "timeout" in err


def test_json_output_follows_schema_1(run_cli, project):
    (project / "src" / "broken.py").write_text("def f(:\n")
    code, out, _ = run_cli("scan", "src", "--output-format", "json", cwd=project)
    assert code == 1
    document = json.loads(out)
    assert set(document) == {"schema", "tool", "torch", "target_torch", "findings", "errors", "summary"}
    assert document["target_torch"]["version"] == document["torch"]
    assert document["schema"] == 1
    assert document["tool"] == {"name": "compile-audit", "version": __version__}
    assert document["torch"] is None or document["torch"][0].isdigit()
    keys = {"code", "name", "severity", "path", "line", "column", "end_line", "end_column", "message",
            "status", "gb_code", "target", "dynamo", "fix", "impact"}
    for finding in document["findings"]:
        assert set(finding) == keys
        assert finding["severity"] in ("error", "warning", "info")
        assert finding["status"] == "static"
        assert not finding["path"].startswith("/") and "\\" not in finding["path"]
        assert finding["line"] >= 1 and finding["column"] >= 1
        impact = finding["impact"]
        assert set(impact) == {"rank", "why", "measured", "targets", "weight"} and impact["rank"] >= 1
    by_code = {f["code"]: f for f in document["findings"]}
    assert by_code["CA901"]["path"] == "src/broken.py"
    assert by_code["CA104"]["gb_code"] == "GB0170"
    assert document["summary"] == {
        "files": 3,
        "findings": 4,
        "by_status": {"static": 4, "confirmed": 0, "refuted": 0, "untraced": 0, "unreached": 0, "dynamic": 0},
    }


def test_output_file(run_cli, project):
    code, out, _ = run_cli("scan", "src", "--output-format", "json", "-o", "report.json", cwd=project)
    assert code == 1 and out == ""
    assert json.loads((project / "report.json").read_text())["summary"]["findings"] == 3


def test_statistics(run_cli, project):
    out = run_cli("scan", "src", "--statistics", "--no-source", cwd=project)[1]
    assert "CA104" in out and "tensor-control-flow" in out
    # issue 27: the table alone, as ruff prints it (no finding lines before it)
    assert not any(line.startswith("src/") for line in out.splitlines()), out
    assert "Found " in out


def test_rule_and_rules_commands(run_cli):
    code, out, _ = run_cli("rule", "CA101")
    assert code == 0 and out == rule_page(rule_by_code("CA101"))
    assert "## Why it matters" in out and "## Use instead" in out  # dead code, not a break
    code, out, _ = run_cli("rule", "CA102")
    assert code == 0 and "## Why it breaks the graph" in out
    code, _, err = run_cli("rule", "CA999")
    assert code == 2 and "unknown rule" in err
    code, out, _ = run_cli("rules")
    assert code == 0 and all(r.code in out for r in all_rules())


def test_version_and_module_entry_point():
    proc = subprocess.run([sys.executable, "-m", "compile_audit", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stdout.strip() == f"compile-audit {__version__}"


def test_scanning_never_executes_the_scanned_code(tmp_path, run_cli):
    marker = tmp_path / "marker"
    (tmp_path / "evil.py").write_text(
        f"import pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\n"
        "import torch\n\nclass M(torch.nn.Module):\n    def forward(self, x):\n        print(x)\n"
    )
    (tmp_path / "audit_evil.py").write_text(f"import pathlib\npathlib.Path({str(marker)!r}).write_text('ran')\n")
    code, out, _ = run_cli("scan", ".", cwd=tmp_path)
    assert code == 1 and "CA105" in out
    assert not marker.exists()


def test_skipped_folders(tmp_path, run_cli):
    for folder in (".git", ".venv", "build", "__pycache__", "node_modules", "pkg.egg-info"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "m.py").write_text(BREAK)
    (tmp_path / "env").mkdir()
    (tmp_path / "env" / "pyvenv.cfg").write_text("")
    (tmp_path / "env" / "m.py").write_text(BREAK)
    code, out, _ = run_cli("scan", ".", cwd=tmp_path)
    assert code == 0, out


def test_demo_on_the_bundled_fixtures(run_cli):
    code, out, _ = run_cli("scan", "fixtures", cwd=ROOT)
    assert code == 1
    assert "fixtures/flex_block/blueprint_before.py:46:12: CA101 [warning]" in out
    assert "if isinstance(attn_out, tuple):" in out


def test_confirm_without_torch_exits_2(run_cli, project, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "torch" else real(name, *a))
    code, _, err = run_cli("scan", "src", "--confirm", cwd=project)
    assert code == 2
    assert "pip install 'compile-audit[dynamic]'" in err


def test_confirm_with_missing_targets_path_exits_2(run_cli, project):
    code, _, err = run_cli("scan", "src", "--confirm", "--targets", "nope", cwd=project)
    assert code == 2 and "nope: no such file or directory" in err


def test_server_without_pygls_names_the_extra():
    """`compile-audit server` without the lsp extra: exit 2 and how to get it."""
    code = ("import sys; sys.modules['pygls'] = None\n"
            "from compile_audit.cli import main\n"
            "sys.exit(main(['server']))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert proc.returncode == 2
    assert "pip install 'compile-audit[lsp]'" in proc.stderr
