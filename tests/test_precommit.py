"""The pre-commit hook, driven by the real pre-commit on a temporary git repository that uses
the hooks of this checkout (at its HEAD commit). Slow-ish: pre-commit builds the hook's own
environment (libcst and rich, never torch)."""

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT

pytest.importorskip("pre_commit")

BREAK = textwrap.dedent(
    """\
    import torch

    class Net(torch.nn.Module):
        def forward(self, x):
            print(x)
            return x
    """
)


def git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)


@pytest.fixture
def repo(tmp_path):
    head = git("rev-parse", "HEAD", cwd=ROOT)
    if head.returncode != 0:
        pytest.skip("this checkout has no commit for pre-commit to install")
    work = tmp_path / "work"
    work.mkdir()
    for args in (("init", "-q"), ("config", "user.email", "t@example.com"), ("config", "user.name", "t"),
                 ("config", "commit.gpgsign", "false")):
        git(*args, cwd=work)
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {ROOT}\n  rev: {head.stdout.strip()}\n  hooks:\n  - id: compile-audit\n"
    )
    (work / "pyproject.toml").write_text('[tool.compile-audit]\nexclude = ["legacy/*"]\n')
    env = dict(os.environ, PRE_COMMIT_HOME=str(tmp_path / "cache"))
    env.pop("VIRTUAL_ENV", None)
    proc = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=work, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    git("add", ".", cwd=work)
    commit = git("commit", "-qm", "config", cwd=work)
    assert commit.returncode == 0, commit.stdout + commit.stderr
    return work, env, tmp_path / "cache"


def commit(work, env, message):
    return subprocess.run(["git", "commit", "-m", message], cwd=work, env=env, capture_output=True, text=True)


def test_hook_refuses_a_graph_break_and_passes_clean_code(repo):
    work, env, cache = repo
    (work / "model.py").write_text(BREAK)
    git("add", "model.py", cwd=work)
    refused = commit(work, env, "add a break")
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "model.py:5:9: CA105 [error]" in output
    # the hook's environment has compile-audit's static core, not torch
    site = list(cache.glob("*/py_env-*/lib/python*/site-packages"))
    assert site and all((s / "libcst").exists() and not (s / "torch").exists() for s in site)
    (work / "model.py").write_text(BREAK.replace("        print(x)\n", ""))
    git("add", "model.py", cwd=work)
    accepted = commit(work, env, "clean")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


def test_hook_honours_excludes_for_files_it_is_given(repo):
    work, env, _ = repo
    (work / "legacy").mkdir()
    (work / "legacy" / "old.py").write_text(BREAK)
    git("add", "legacy/old.py", cwd=work)
    accepted = commit(work, env, "legacy code, excluded")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
