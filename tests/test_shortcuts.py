"""The static layer's shortcuts (issue 31) change no finding: a file with no compiled code and no
subject of a module-scope rule is not parsed by libcst; the walk skips definitions that lead to
no compiled code; the project index is built in worker processes with ``--jobs 2``."""

import shutil
from pathlib import Path

import pytest

from compile_audit.core import config
from compile_audit.lint import engine
from compile_audit.lint.registry import all_rules
from compile_audit.lint.session import Session
from conftest import ROOT

RULES = [rule for rule in all_rules() if not rule.dynamic_only]


def _findings(root: Path, shortcuts: bool, jobs: int = 1, monkeypatch=None) -> dict:
    monkeypatch.setattr(engine, "SHORTCUTS", shortcuts)
    settings = config.load(None, root)
    settings.jobs = jobs
    session = Session(settings, root, [root], use_cache=False)
    files = session.discover([root])
    session.index(files)
    out = {}
    for path in files:
        result = session.lint_buffer(path, path.read_bytes())
        out[str(path.relative_to(root))] = [(f.code, f.span, f.message) for f in result.findings]
    return out


@pytest.mark.parametrize("folder", ["fixtures", "tests/data"])
def test_the_shortcuts_change_no_finding_on_the_repositorys_projects(folder, tmp_path, monkeypatch):
    root = tmp_path / "project"  # a copy: the repository's own settings exclude tests/data
    shutil.copytree(ROOT / folder, root, ignore=shutil.ignore_patterns("__pycache__", ".compile_audit_cache"))
    with_shortcuts = _findings(root, True, monkeypatch=monkeypatch)
    assert with_shortcuts == _findings(root, False, monkeypatch=monkeypatch)
    assert sum(map(len, with_shortcuts.values())) > 10  # the projects do have findings


def test_every_invalid_example_keeps_its_finding_as_a_project_file(tmp_path, monkeypatch):
    """Each INVALID example as a file of a project (so the pre-parse skip applies), beside a
    file with no compiled code that names nothing a rule needs."""
    (tmp_path / "plain.py").write_text("import re\nimport torch\n\nPATTERN = re.compile('x')\n\n"
                                       "def helper(x):\n    return torch.ones(1).item()\n")
    for rule in RULES:
        for i, example in enumerate(rule.INVALID):
            (tmp_path / f"{rule.code.lower()}_{i}.py").write_text(example.source)
    on = _findings(tmp_path, True, monkeypatch=monkeypatch)
    assert on == _findings(tmp_path, False, monkeypatch=monkeypatch)
    kept = sum(any(code == rule.code for code, _, _ in on[f"{rule.code.lower()}_{i}.py"])
               for rule in RULES for i in range(len(rule.INVALID)))
    assert kept >= 0.9 * sum(len(rule.INVALID) for rule in RULES)  # (some examples are for other releases)
    assert on["plain.py"] == []


def test_a_file_without_compiled_code_is_not_parsed_unless_compiled_code_reaches_it(tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "SHORTCUTS", True)
    (tmp_path / "util.py").write_text("import re\nimport torch\n\nWORD = re.compile('w')\n\n"
                                      "def scale(x):\n    return x * x.max().item()\n")
    (tmp_path / "other.py").write_text("import torch\n\ndef loose(x):\n    return x.sum().item()\n")
    session = Session(config.load(None, tmp_path), tmp_path, [tmp_path], use_cache=False)
    session.index(session.discover([tmp_path]))
    # nothing compiles util.scale or other.loose: neither file is parsed, and neither has a finding
    for name in ("util.py", "other.py"):
        result = session.lint_buffer(tmp_path / name, (tmp_path / name).read_bytes())
        assert result.module is None and result.findings == []
    # a module's forward calls util.scale: util.py is compiled code now, and its .item() a finding
    (tmp_path / "model.py").write_text("import torch\nfrom util import scale\n\n"
                                       "class M(torch.nn.Module):\n    def forward(self, x):\n        return scale(x)\n")
    session = Session(config.load(None, tmp_path), tmp_path, [tmp_path], use_cache=False)
    session.index(session.discover([tmp_path]))
    result = session.lint_buffer(tmp_path / "util.py", (tmp_path / "util.py").read_bytes())
    assert result.module is not None and [f.code for f in result.findings] == ["CA102"]


def test_the_index_built_in_workers_equals_the_one_built_here(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(ROOT / "fixtures", root, ignore=shutil.ignore_patterns("__pycache__", ".compile_audit_cache"))
    sessions = []
    for jobs in (1, 2):
        settings = config.load(None, root)
        settings.jobs = jobs
        session = Session(settings, root, [root], use_cache=False)
        session.index(session.discover([root]))
        sessions.append(session)
    assert len(sessions[0].parts) >= 8  # enough files for the workers to be used
    assert sessions[0].parts == sessions[1].parts and sessions[0].modules == sessions[1].modules
    assert sessions[0].parsed == sessions[1].parsed
    assert sessions[0].project.digest() == sessions[1].project.digest()


def test_the_index_words_cover_every_module_rules_subject():
    """A module-scope rule's ``requires_text`` is matched against the identifiers the index kept
    (``traced.CODE_WORDS``): each of its alternatives must be one that is kept."""
    from compile_audit.analysis.traced import CODE_WORDS

    for rule in all_rules():
        if rule.scope == "module" and rule.requires_text:
            for word in rule.requires_text.split("|"):
                assert CODE_WORDS.search(word), (rule.code, word)


def test_a_compile_in_a_docstring_or_comment_does_not_make_compiled_code(tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "SHORTCUTS", True)
    (tmp_path / "ops.py").write_text('import re\nimport torch\n\n\ndef gelu(x):\n    """Works under torch.compile."""\n'
                                     '    # torch.compile traces this when a model calls it\n'
                                     '    return x * torch.sigmoid(1.702 * x) + re.compile("x").flags\n')
    session = Session(config.load(None, tmp_path), tmp_path, [tmp_path], use_cache=False)
    session.index(session.discover([tmp_path]))
    result = session.lint_buffer(tmp_path / "ops.py", (tmp_path / "ops.py").read_bytes())
    assert result.module is None  # not parsed: nothing in its code compiles
    # the same bytes from a buffer the index did not read: the text decides (conservative)
    result = session.lint_buffer(tmp_path / "ops.py", (tmp_path / "ops.py").read_text() + "\n")
    assert result.module is not None and result.findings == []
