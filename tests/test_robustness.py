"""Bad input, real code at scale, generated programs: the tool never falls over."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from compile_audit.lint.engine import lint_source
from compile_audit.lint.registry import all_rules

RULES = all_rules()
TORCH_MODULE = "import torch\n\nclass Net(torch.nn.Module):\n    def forward(self, x):\n        print(x)\n        return x\n"


def one_line_error(err: str) -> bool:
    lines = [line for line in err.strip().splitlines() if line]
    return len(lines) == 1 and "Traceback" not in err


def test_path_that_does_not_exist(run_cli, tmp_path):
    code, _, err = run_cli("scan", "missing.py", cwd=tmp_path)
    assert code == 2 and one_line_error(err)


def test_unreadable_file_is_an_error_not_a_crash(run_cli, tmp_path, monkeypatch):
    (tmp_path / "a.py").write_text(TORCH_MODULE)
    (tmp_path / "b.py").write_text(TORCH_MODULE)
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "a.py":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    code, out, _ = run_cli("scan", ".", "--no-cache", "--jobs", "1", cwd=tmp_path)
    assert code == 2  # unreadable input: exit 2, and the other file is still reported
    assert "error: a.py: cannot read: Permission denied" in out and "b.py:5:9: CA105" in out


def test_directory_symlink_loop(run_cli, tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "m.py").write_text(TORCH_MODULE)
    os.symlink(tmp_path / "pkg", tmp_path / "pkg" / "loop")
    code, out, _ = run_cli("scan", ".", "--no-cache", cwd=tmp_path)
    assert code == 1 and "Found 1 finding" in out
    code, out, _ = run_cli("scan", ".", "--no-cache", "--follow-symlinks", cwd=tmp_path)
    assert code == 1 and "CA105" in out  # followed, and the loop is walked once


def test_symlink_out_of_the_tree_is_not_followed_unless_asked(run_cli, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text(TORCH_MODULE)
    tree = tmp_path / "tree"
    tree.mkdir()
    os.symlink(outside / "secret.py", tree / "link.py")
    assert run_cli("scan", "tree", "--no-cache", cwd=tmp_path)[0] == 0
    code, out, _ = run_cli("scan", "tree", "--no-cache", "--follow-symlinks", cwd=tmp_path)
    assert code == 1 and "tree/link.py" in out and not out.startswith("/")


@pytest.mark.parametrize(
    "data,expected",
    [
        (b"\x7fELF\x02\x01\x01\x00\x00\x00binary", "NUL byte"),
        (b"x = 1\n\x00\n", "NUL byte"),
        (b"# -*- coding: latin-1 -*-\nname = '\xe9t\xe9'\nimport torch\n", None),
        (b"# -*- coding: ascii -*-\nname = '\xe9'\n", "cannot decode as ascii"),
        (b"x = '\xff'\n", "cannot decode as utf-8"),
        # newer than this interpreter but parsed by libcst (PEP 750 t-strings, PEP 701 f-strings): scanned
        (b"import torch\nx = t'template {y}'\n", None),
        (b"import torch\nx = f\"{'a' + \"b\"}\"\n", None),
        (b"import torch\nx = (1 +\n", "SyntaxError (Python "),
    ],
)
def test_odd_files_are_findings_not_crashes(data, expected):
    result = lint_source(data, "odd.py", RULES)
    messages = [f.message for f in result.findings if f.code == "CA901"]
    if expected is None:
        assert messages == []
    else:
        assert len(messages) == 1 and expected in messages[0]


def test_deeply_nested_expression():
    for source in ("x = " + "(" * 300 + "1" + ")" * 300 + "\n", "import torch\nx = " + "[" * 2000 + "]" * 2000 + "\n",
                   "import torch\ndef f(x):\n    return " + "-" * 5000 + "x\n"):
        result = lint_source(source, "deep.py", RULES)
        assert all(f.code == "CA901" for f in result.findings)


def test_a_5_mb_generated_file(run_cli, tmp_path):
    rows = "".join(f"    ({i}, {i * 7 % 13}, 'label_{i}'),\n" for i in range(170_000))
    (tmp_path / "table.py").write_text(f"TABLE = [\n{rows}]\n")
    assert (tmp_path / "table.py").stat().st_size > 5_000_000
    code, out, err = run_cli("scan", "table.py", "--no-cache", cwd=tmp_path)
    assert code == 0 and err == ""


def test_config_is_data_never_executed(run_cli, tmp_path):
    marker = tmp_path / "marker"
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.compile-audit]\nselect = ["__import__(\'os\').system(\'touch {marker}\')"]\n'
    )
    (tmp_path / "m.py").write_text(TORCH_MODULE)
    code, _, err = run_cli("scan", "m.py", cwd=tmp_path)
    assert code == 2 and "unknown rule selector" in err and not marker.exists()


def test_sampled_real_world_code_scans_without_internal_errors():
    """Every 40th file of the installed torch package: no internal error, exit 0 or 1."""
    import importlib.util

    spec = importlib.util.find_spec("torch")
    if spec is None:
        pytest.skip("torch is not installed")
    files = sorted(Path(spec.origin).parent.rglob("*.py"))[::40]
    proc = subprocess.run(
        [sys.executable, "-m", "compile_audit", "scan", *map(str, files), "--no-cache", "--output-format", "json",
         "--exit-zero"],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr


def test_generated_programs_never_crash_the_engine():
    pytest.importorskip("hypothesis")
    hypothesmith = pytest.importorskip("hypothesmith")
    from hypothesis import HealthCheck, given, settings

    wrappers = [
        lambda program: program,
        lambda program: "import torch\n" + program,
        lambda program: "import torch\n\nclass M(torch.nn.Module):\n    def forward(self, x):\n"
        + textwrap.indent(program or "pass\n", "        ") + "\n",
    ]

    @settings(max_examples=int(os.environ.get("COMPILE_AUDIT_FUZZ_EXAMPLES", "60")), deadline=None,
              suppress_health_check=list(HealthCheck), derandomize=True)
    @given(hypothesmith.from_grammar())
    def run(program):
        for wrap in wrappers:
            result = lint_source(wrap(program), "generated.py", RULES)
            assert all(f.line >= 1 for f in result.findings)

    run()
