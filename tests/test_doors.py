"""One answer at every door: the same cross-file project (an ``nn.Module`` base class in one file,
a subclass with a ``print`` in its ``forward`` in another; a helper in a third file called from
``@torch.compile`` code in a fourth) gets the same findings and the same fixes from a folder
scan, a one-file scan, stdin, ``--diff``/``--fix``, the language server's lint and the pytest
plugin's predictions. The pre-commit hook (only the staged file) is in ``test_precommit.py``.

Each finding below needs the other files: alone, ``model.py`` has no module class (nor the word
torch) and ``helpers.py`` no compiled code."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

FILES = {
    "pyproject.toml": "[tool.compile-audit]\n",
    "pkg/__init__.py": "",
    "pkg/base.py": textwrap.dedent("""\
        import torch


        class Base(torch.nn.Module):
            pass
        """),
    "pkg/model.py": textwrap.dedent("""\
        from pkg.base import Base


        class Model(Base):
            def forward(self, x):
                print("input", x.shape)
                return x * 2
        """),
    "pkg/helpers.py": textwrap.dedent("""\
        import torch


        def scaled(x):
            print("scaling")
            return x * 3
        """),
    "pkg/entry.py": textwrap.dedent("""\
        import torch

        from pkg.helpers import scaled


        @torch.compile
        def step(x):
            return scaled(x) + 1
        """),
}
ASKED = ("pkg/model.py", "pkg/helpers.py")


def make_project(root: Path) -> Path:
    for name, text in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    return root


def cli(root: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "compile_audit", *args], cwd=root, input=stdin,
                          capture_output=True, text=True)


def findings_of(proc: subprocess.CompletedProcess, path: str) -> list[tuple]:
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    return sorted((f["path"], f["line"], f["column"], f["code"], f["message"]) for f in report["findings"]
                  if f["path"] == path)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def test_every_door_gives_the_same_findings(project):
    folder = cli(project, "scan", ".", "--output-format", "json")
    expected = {path: findings_of(folder, path) for path in ASKED}
    # what needs the other files is found: the print in a module's forward, the print in a helper
    # that compiled code of another file calls
    assert [f[3] for f in expected["pkg/model.py"]] == ["CA105"]
    assert [f[3] for f in expected["pkg/helpers.py"]] == ["CA105"]

    for path in ASKED:
        one = cli(project, "scan", path, "--output-format", "json")
        assert findings_of(one, path) == expected[path], f"scan {path}"
        uncached = cli(project, "scan", path, "--output-format", "json", "--no-cache")
        assert findings_of(uncached, path) == expected[path], f"scan {path} --no-cache"
        text = (project / path).read_text()
        piped = cli(project, "scan", "-", "--stdin-filename", path, "--output-format", "json", stdin=text)
        assert findings_of(piped, path) == expected[path], f"scan - --stdin-filename {path}"

    # the language server's lint of an open buffer
    pytest.importorskip("pygls")
    from compile_audit.server import Project

    server = Project(project)
    for path in ASKED:
        found, _ = server.lint(project / path, (project / path).read_text())
        got = sorted((f.path, f.line, f.span.column, f.code, f.message) for f in found)
        assert got == expected[path], f"server {path}"

    # the pytest plugin's predictions for a break at the flagged line
    from compile_audit import pytest_plugin

    pytest_plugin._PREDICTIONS.clear()
    for path in ASKED:
        line = expected[path][0][1]
        assert pytest_plugin._predicted(str(project / path), line, project) == ["CA105 print-in-compiled"], path


def test_fixes_are_the_same_from_a_folder_and_from_one_file(project, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(project, other)
    diff_folder = cli(project, "scan", ".", "--diff", "--unsafe-fixes").stdout
    diff_one = cli(project, "scan", "pkg/helpers.py", "--diff", "--unsafe-fixes").stdout
    assert "+++ b/pkg/helpers.py" in diff_one
    hunk = diff_folder[diff_folder.index("--- a/pkg/helpers.py"):]
    hunk = hunk[:hunk.index("--- a/", 1)] if "--- a/" in hunk[1:] else hunk
    assert hunk.strip() in diff_one

    announced = cli(project, "scan", "pkg/helpers.py")
    assert "--unsafe-fixes" in announced.stdout
    fixed_folder = cli(project, "scan", ".", "--fix", "--unsafe-fixes")
    fixed_one = cli(other, "scan", "pkg/helpers.py", "--fix", "--unsafe-fixes")
    assert "Fixed 0" not in fixed_one.stdout + fixed_one.stderr
    assert (other / "pkg/helpers.py").read_text() == (project / "pkg/helpers.py").read_text()
    assert (other / "pkg/helpers.py").read_text() != FILES["pkg/helpers.py"]
    fixed_stdin = cli(other, "scan", "-", "--stdin-filename", "pkg/model.py", "--fix", "--unsafe-fixes",
                      stdin=FILES["pkg/model.py"])
    assert fixed_stdin.stdout == (project / "pkg/model.py").read_text()
    assert fixed_folder.returncode in (0, 1)


def test_an_unchanged_projects_index_is_read_from_the_cache(project, monkeypatch):
    from compile_audit.analysis.project import ProjectIndex
    from compile_audit.core import config
    from compile_audit.lint.session import Session

    settings = config.load(None, project)
    first = Session(settings, project, [project / "pkg/model.py"]).project
    assert "pkg.model.Model" in first.classes  # the whole project, though one file is asked about

    def no_indexing(*args, **kwargs):
        raise AssertionError("a file of an unchanged project was indexed again")

    monkeypatch.setattr(ProjectIndex, "cached_contribution", no_indexing)
    again = Session(settings, project, [project / "pkg/helpers.py"]).project
    assert again.digest() == first.digest()
    monkeypatch.undo()
    (project / "pkg/entry.py").write_text("import torch\n")  # a change: the project is indexed again
    changed = Session(settings, project, [project / "pkg/helpers.py"]).project
    assert changed.digest() != first.digest()


def test_the_project_root_is_the_configuration_else_the_repository(tmp_path):
    from compile_audit.core import config
    from compile_audit.lint.session import project_root

    repo = tmp_path / "repo"
    (repo / "src" / "deep").mkdir(parents=True)
    (repo / ".git").mkdir()
    assert project_root(config.load(None, repo / "src"), [repo / "src" / "deep"], repo / "src") == repo
    (repo / "src" / "pyproject.toml").write_text("[tool.compile-audit]\n")
    assert project_root(config.load(None, repo / "src"), [repo / "src" / "deep"], repo / "src") == repo / "src"
    loose = tmp_path / "loose"
    loose.mkdir()
    (loose / "a.py").write_text("")
    assert project_root(config.load(None, loose), [loose / "a.py"], loose) == loose
