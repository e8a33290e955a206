"""The pre-commit hook, driven by the real pre-commit on a temporary git repository, with the
two snippets of docs/ci.md as written: the ``repo: local`` snippet (its path replaced by this
checkout's), which the docs lead with because compile-audit is not published yet, and the release
snippet (its ``repo`` replaced by a clone of this checkout tagged with the documented ``rev``). Slow-ish: pre-commit builds the hook's own environment (libcst
and rich, never torch)."""

import os
import re
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


def snippets() -> list[str]:
    """The YAML blocks of docs/ci.md's pre-commit section."""
    text = (ROOT / "docs" / "ci.md").read_text()
    section = text[text.index("## pre-commit"):text.index("## A CI gate")]
    return re.findall(r"```yaml\n(.*?)```", section, re.S)


def version() -> str:
    return re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M).group(1)


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """One pre-commit cache for the module: each snippet builds its hook environment once."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="module")
def release_clone(tmp_path_factory):
    """A clone of this checkout's HEAD, tagged as the release the
    snippet names (what `pre-commit` fetches from the real repository)."""
    if git("rev-parse", "HEAD", cwd=ROOT).returncode != 0:
        pytest.skip("this checkout has no commit for pre-commit to install")
    clone = tmp_path_factory.mktemp("release") / "compile-audit"
    assert git("clone", "-q", str(ROOT), str(clone), cwd=ROOT).returncode == 0
    tag = re.search(r"rev: (\S+)", snippets()[1]).group(1)
    assert tag == f"v{version()}", f"docs/ci.md names rev {tag}, the release is v{version()}"
    assert git("-c", "user.email=t@example.com", "-c", "user.name=t", "tag", tag, cwd=clone).returncode == 0
    return clone


def make_repo(tmp_path: Path, config: str, home: Path):
    work = tmp_path / "work"
    work.mkdir()
    for args in (("init", "-q"), ("config", "user.email", "t@example.com"), ("config", "user.name", "t"),
                 ("config", "commit.gpgsign", "false")):
        git(*args, cwd=work)
    (work / ".pre-commit-config.yaml").write_text(config)
    (work / "pyproject.toml").write_text('[tool.compile-audit]\nexclude = ["legacy/*"]\n')
    env = dict(os.environ, PRE_COMMIT_HOME=str(home))
    env.pop("VIRTUAL_ENV", None)
    proc = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=work, env=env, capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stderr
    git("add", ".", cwd=work)
    done = git("commit", "-qm", "config", cwd=work)
    assert done.returncode == 0, done.stdout + done.stderr
    return work, env


@pytest.fixture(params=["release", "local"])
def repo(request, tmp_path, home):
    local, release = snippets()  # issue 27: the docs lead with the snippet that works from a checkout
    assert "repo: local" in local and "rev:" in release
    if request.param == "release":
        clone = request.getfixturevalue("release_clone")
        config = release.replace("https://github.com/compile-audit/compile-audit", str(clone))
    else:
        assert '"/path/to/compile-audit"' in local
        config = local.replace("/path/to/compile-audit", str(ROOT))
    return make_repo(tmp_path, config, home)


def commit(work, env, message):
    return subprocess.run(["git", "commit", "-m", message], cwd=work, env=env, capture_output=True, text=True)


def test_hook_refuses_a_graph_break_and_passes_clean_code(repo, home):
    work, env = repo
    (work / "model.py").write_text(BREAK)
    git("add", "model.py", cwd=work)
    refused = commit(work, env, "add a break")
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "model.py:5:9: CA105 [error]" in output
    # the hook's environments have compile-audit's static core, not torch
    site = list(home.glob("*/py_env-*/lib/python*/site-packages"))
    assert site and all((s / "libcst").exists() and not (s / "torch").exists() for s in site)
    (work / "model.py").write_text(BREAK.replace("        print(x)\n", ""))
    git("add", "model.py", cwd=work)
    accepted = commit(work, env, "clean")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


def test_hook_honours_excludes_for_files_it_is_given(repo):
    work, env = repo
    (work / "legacy").mkdir()
    (work / "legacy" / "old.py").write_text(BREAK)
    git("add", "legacy/old.py", cwd=work)
    accepted = commit(work, env, "legacy code, excluded")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr


def test_the_hook_reads_a_staged_file_against_the_whole_project(repo):
    """One answer: the hook passes only the staged file, and it still gets the finding a folder
    scan gives it (its nn.Module base class is in a file committed earlier)."""
    from test_doors import FILES

    work, env = repo
    for name in ("pkg/__init__.py", "pkg/base.py"):
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(FILES[name])
    git("add", "pkg", cwd=work)
    first = commit(work, env, "the base class")
    assert first.returncode == 0, first.stdout + first.stderr
    (work / "pkg/model.py").write_text(FILES["pkg/model.py"])
    git("add", "pkg/model.py", cwd=work)
    refused = commit(work, env, "a subclass with a print in forward")
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "pkg/model.py:6:9: CA105 [error]" in output
