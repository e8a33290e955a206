"""Issue 29: the project's own Dynamo settings decide which claims hold.

A project that turns on ``capture_scalar_outputs`` or ``capture_dynamic_output_shape_ops``
(anywhere: another file, ``config.patch(...)``) gets no `.item()`/`int()`/mask-index finding,
because Dynamo captures those; one that lists ``print`` in ``reorderable_logging_functions`` gets
no finding for a print of constants and tensors, but still one for a print of a Python number
read from a tensor (Dynamo cannot move it). The dynamic test runs the same project under bare
Dynamo (``torch._dynamo.explain``, the settings made by the project's own import) and checks
that every break it reports is a finding and every finding a break.
"""

import json
import subprocess
import sys
import textwrap

import pytest

from compile_audit.core.config import load
from compile_audit.lint.scan import scan
from compile_audit.lint.session import Session

SETTINGS = """
import torch

torch._dynamo.config.capture_scalar_outputs = True
torch._dynamo.config.reorderable_logging_functions.add(print)
"""

PATCHED = """
import torch


@torch._dynamo.config.patch(capture_dynamic_output_shape_ops=True)
def train():
    pass
"""

MODEL = """
import torch

from . import settings  # noqa: F401  (the project's Dynamo settings, made on import)


class Net(torch.nn.Module):
    def forward(self, x):
        n = x.sum().item()                # captured: capture_scalar_outputs
        print("forward", x)               # reordered: print of a constant and a tensor
        print("n", n)                     # a Python number from a tensor: cannot be reordered
        k = int(x.abs().max())            # captured
        return x[: k + 1] * n, x[x > 0]   # the mask index breaks unless its setting is on
"""


def project(tmp_path, with_patch: bool):
    package = tmp_path / "proj"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "settings.py").write_text(textwrap.dedent(SETTINGS))
    (package / "model.py").write_text(textwrap.dedent(MODEL))
    if with_patch:
        (package / "train.py").write_text(textwrap.dedent(PATCHED))
    (tmp_path / "pyproject.toml").write_text("[tool.compile-audit]\n")
    return package


def findings(root, path):
    session = Session(load(None, root), root, [path], use_cache=False)
    result = scan(session, [path])
    return sorted((f.code, f.span.line) for f in result.findings)


def test_settings_the_project_turns_on_decide_the_findings(tmp_path):
    package = project(tmp_path, with_patch=False)
    found = findings(tmp_path, package / "model.py")
    assert found == [("CA105", 11), ("CA111", 13)], found
    # the same file in a project without the settings: every pattern is a break
    (package / "settings.py").write_text("")
    bare = findings(tmp_path, package / "model.py")
    assert {c for c, _ in bare} >= {"CA102", "CA105", "CA106", "CA111"}, bare


def test_a_patch_anywhere_in_the_project_counts(tmp_path):
    package = project(tmp_path, with_patch=True)
    assert findings(tmp_path, package / "model.py") == [("CA105", 11)]


EXPLAIN = """
import json, sys
sys.path.insert(0, sys.argv[1])
import torch
import proj.model as m
{patch}
explanation = torch._dynamo.explain(m.Net())(torch.randn(6))
lines = sorted({{b.user_stack[-1].lineno for b in explanation.break_reasons if b.user_stack}})
print(json.dumps(lines))
"""


@pytest.mark.dynamic
@pytest.mark.parametrize("with_patch", [False, True])
def test_the_findings_are_what_dynamo_does_under_the_settings(tmp_path, with_patch):
    pytest.importorskip("torch")
    package = project(tmp_path, with_patch)
    patch = "torch._dynamo.config.capture_dynamic_output_shape_ops = True" if with_patch else ""
    done = subprocess.run([sys.executable, "-c", EXPLAIN.format(patch=patch), str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    broke = json.loads(done.stdout.strip().splitlines()[-1])
    assert broke == [line for _, line in findings(tmp_path, package / "model.py")]


MATCH = """
import torch


def pick(x):
    match x.dim():
        case 1:
            return x
    return x.flatten()


@torch.compile
def step(x):
    return pick(x) + 1
"""

PEP701 = '''
import torch


@torch.compile
def step(x, name):
    label = f"{"layer"}-{name}"  # nested quotes of the same kind: Python 3.12 (PEP 701)
    return x + len(label)
'''


def _python_project(tmp_path, requires: str, source: str):
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "demo"\nrequires-python = "{requires}"\n\n[tool.compile-audit]\n')
    path = tmp_path / "model.py"
    path.write_text(textwrap.dedent(source))
    return path


@pytest.mark.parametrize("requires,expected", [(">=3.9", ["CA901"]), (">=3.10", [])])
def test_syntax_follows_the_projects_oldest_python(tmp_path, requires, expected):
    path = _python_project(tmp_path, requires, MATCH)
    assert [code for code, _ in findings(tmp_path, path)] == expected


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the interpreter accepts PEP 701 itself")
def test_newer_syntax_is_a_finding_only_where_the_project_supports_an_older_python(tmp_path):
    path = _python_project(tmp_path, ">=3.11", PEP701)
    assert [code for code, _ in findings(tmp_path, path)] == ["CA901"]
    path = _python_project(tmp_path, ">=3.12", PEP701)
    assert "CA901" not in [code for code, _ in findings(tmp_path, path)]
