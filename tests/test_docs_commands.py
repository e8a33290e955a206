"""Every command README.md and docs/ show is executed here, as written, in a small project laid
out the way the docs assume (``src/``, ``audits/``, the README's configuration): shell blocks
(```sh), the ``- run:`` steps of CI snippets, and ``$ `` prompts. ``pip install`` lines are
resolved against this project's own metadata (its extras, the torch pin), not fetched; the
pre-commit snippets are run by tests/test_precommit.py; ``python3 dev.py test`` is what
``.ci/run`` runs (this suite), and ``dev.py demo`` runs here.
"""

import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BIN = Path(sys.executable).parent


def commands() -> list[tuple[str, str]]:
    """(document, command) for every command the docs show, in document order."""
    out = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for lang, body in re.findall(r"```(\w*)\n(.*?)```", text, re.S):
            for line in body.splitlines():
                line = line.strip()
                if lang in ("sh", "bash", "shell"):
                    command = line
                elif lang == "yaml" and line.startswith("- run: "):
                    command = line[len("- run: "):]
                elif line.startswith("$ "):
                    command = line[2:]
                else:
                    continue
                words = shlex.split(command, comments=True)
                if words:
                    out.append((doc.relative_to(ROOT).as_posix(), shlex.join(words)))
    return out


ALL = commands()
README_CONFIG = re.search(r"```toml\n(\[tool\.compile-audit\].*?)```", (ROOT / "README.md").read_text(), re.S).group(1)

FIXABLE = """
import torch
from torch.nn.attention.flex_attention import create_block_mask


def everything(b, h, q_idx, kv_idx):
    return True


def block_mask(n):
    return create_block_mask(everything, None, None, n, n, device="cpu")
"""
# the project's own tests, which `compile-audit record -- python -m pytest tests/` runs
TESTS = """
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

from everyday_breaks import MaxNormalizer, NoisyBlock  # noqa: E402


def test_noisy_block_keeps_the_shape():
    assert NoisyBlock(8)(torch.randn(2, 8)).shape == (2, 8)


def test_max_normalizer_bounds_the_values():
    assert MaxNormalizer()(torch.randn(4)).abs().max() <= 2
"""

AUDITS = """
import torch

from compile_audit import Target


class Gate(torch.nn.Module):
    def forward(self, x):
        if x.sum() > 0:
            return x * 2
        return -x


class Fixed(torch.nn.Module):
    def forward(self, x):
        return torch.where(x.sum() > 0, x * 2, -x)


def audit_gate():
    return Target(Gate(), args=(torch.ones(3),))


def audit_fixed():
    return Target(Fixed(), args=(torch.ones(3),))
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The project the docs talk about: ``src/`` with graph breaks (and a fixable one),
    ``audits/`` with targets, and the README's ``[tool.compile-audit]`` table."""
    root = tmp_path_factory.mktemp("docs") / "project"
    (root / "src").mkdir(parents=True)
    for name in ("everyday_breaks.py", "everyday_helpers.py"):
        shutil.copy(FIXTURES / "everyday" / name, root / "src" / name)
    (root / "src" / "masks.py").write_text(textwrap.dedent(FIXABLE).lstrip())
    (root / "audits").mkdir()
    (root / "audits" / "audit_model.py").write_text(textwrap.dedent(AUDITS).lstrip())
    (root / "pyproject.toml").write_text(README_CONFIG)
    (root / "tests").mkdir()
    (root / "tests" / "test_models.py").write_text(textwrap.dedent(TESTS).lstrip())
    return root


def _pyproject():
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def check_pip(words: list[str]) -> None:
    """A ``pip install`` line names this project (with extras it has) or torch's CPU wheels."""
    project = _pyproject()["project"]
    extras = set(project["optional-dependencies"])
    args = [w for w in words[2:] if not w.startswith("-")]
    assert args, words
    for arg in args:
        if "download.pytorch.org" in arg:
            continue
        name, _, rest = arg.partition("[")
        if name == ".":  # the checkout (compile-audit is not published yet)
            name = project["name"]
        if name == "torch":
            assert "--index-url" in words and any("download.pytorch.org/whl/cpu" in w for w in words), words
            continue
        assert name == project["name"], f"pip installs {name!r}, not this project"
        wanted = {e.strip() for e in rest.rstrip("]").split(",") if e.strip()}
        assert wanted <= extras, f"unknown extras {wanted - extras}"


def test_the_docs_show_commands_and_every_kind_is_handled():
    kinds = {c.split()[0] for _, c in ALL}
    assert {"compile-audit", "pip", "python3", "python", "pytest"} >= kinds, kinds
    assert sum(1 for _, c in ALL if c.startswith("compile-audit ")) >= 10


@pytest.mark.parametrize("doc,command", [(d, c) for d, c in ALL if c.startswith("pip ")])
def test_pip_lines_name_what_the_project_provides(doc, command):
    check_pip(shlex.split(command))


def test_dev_commands_are_the_ones_dev_py_and_ci_run():
    source = (ROOT / "dev.py").read_text()
    for doc, command in ALL:
        words = shlex.split(command)
        if words[:2] in (["python3", "dev.py"], ["python", "dev.py"]):
            assert f'"{words[2]}":' in source, f"{doc}: dev.py has no command {words[2]!r}"
    assert "dev.py test" in (ROOT / ".ci" / "run").read_text()


@pytest.mark.parametrize("doc,command", [(d, c) for d, c in ALL if c.startswith(("python bench/", "python3 bench/"))])
def test_benchmark_commands_parse(doc, command):
    """The benchmark commands download corpora and run for minutes: here their options are
    checked against the script's own parser."""
    words = shlex.split(command)
    proc = subprocess.run([sys.executable, words[1], "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    for flag in (w for w in words[2:] if w.startswith("--")):
        assert flag in proc.stdout, f"{doc}: {words[1]} has no option {flag}"


def _expected(words: list[str]) -> set:
    if "--device" in words and words[words.index("--device") + 1] == "cuda":
        import importlib.util

        if importlib.util.find_spec("torch") is not None:
            import torch

            if not torch.cuda.is_available():
                return {2}  # the documented up-front error, checked below
    if "--write-baseline" in words or words[1:2] in (["rules"], ["rule"]) or "--exit-zero" in words:
        return {0}
    return {0, 1}


@pytest.mark.dynamic
def test_every_compile_audit_and_pytest_command_runs_as_documented(project):
    pytest.importorskip("torch")
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", COLUMNS="120")
    ran = 0
    for doc, command in ALL:
        words = shlex.split(command)
        if words[0] not in ("compile-audit", "pytest"):
            continue
        # the language server reads its client on stdin: without one it exits (tests/test_server.py
        # drives it with a real client)
        proc = subprocess.run(words, cwd=project, env=env, capture_output=True, text=True, timeout=600,
                              stdin=subprocess.DEVNULL)
        output = proc.stdout + proc.stderr
        if words[0] == "pytest":
            assert proc.returncode == 1, f"{doc}: `{command}`:\n{output[-3000:]}"
            assert "audits/audit_model.py::audit_gate FAILED" in output
            assert "audits/audit_model.py::audit_fixed PASSED" in output
        else:
            expected = _expected(words)
            assert proc.returncode in expected, f"{doc}: `{command}` exited {proc.returncode}:\n{output[-3000:]}"
            if expected == {2}:
                assert "sees no CUDA device" in proc.stderr and proc.stderr.count("error:") == 1
            assert "internal error" not in output and "Traceback" not in output, f"{doc}: `{command}`:\n{output}"
        ran += 1
    assert ran >= 10
    assert (project / "report.json").exists() and (project / "compile-audit.sarif").exists()
    assert "return True" not in (project / "src" / "masks.py").read_text(), "`scan src/ --fix` fixed nothing"


@pytest.mark.dynamic
def test_dev_demo_runs():
    proc = subprocess.run([sys.executable, "dev.py", "demo"], cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env={k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "demo passed" in proc.stdout


TOP = ("compile_audit/", "rules/", "tests/", "fixtures/", "docs/", "bench/", ".ci/", "dev.py", "pyproject.toml",
       ".pre-commit-hooks.yaml", "README.md")


def referenced_paths(doc: Path) -> list[str]:
    """Files a page points at: relative Markdown links, and backticked repository paths."""
    text = doc.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.S)  # code blocks show commands, not references
    out = []
    for target in re.findall(r"\]\(([^)#\s]+)", re.sub(r"`[^`]*`", "", text)):
        if "://" not in target and not target.startswith("mailto:"):
            out.append(str((doc.parent / target).resolve().relative_to(ROOT)))
    for token in re.findall(r"`([^`\s]+)`", text):
        token = token.split("::")[0].rstrip(".,:")
        if token.startswith(TOP) and not any(ch in token for ch in "*{}<>=$"):
            out.append(token)
    return out


@pytest.mark.parametrize("doc", [*DOCS, *sorted((ROOT / "docs" / "rules").glob("*.md"))], ids=lambda p: p.name)
def test_docs_reference_only_files_that_exist(doc):
    # folders the tools create at run time and .gitignore keeps out (a download cache) may be named
    generated = [line.strip("/") for line in (ROOT / ".gitignore").read_text().splitlines() if line.startswith("/")]
    missing = [p for p in referenced_paths(doc)
               if not (ROOT / p).exists() and not any(p.startswith(g) for g in generated)]
    assert not missing, f"{doc.relative_to(ROOT)} points at files not in the repository: {missing}"
