"""Fixes: every INVALID example that carries its fixed code is fixed to exactly that, the fix
is idempotent and leaves no finding of its rule; and --fix/--diff never lose a line."""

import os
import stat
import textwrap

import pytest

from compile_audit.lint.engine import lint_source
from compile_audit.lint.fix import fix_text
from compile_audit.lint.registry import all_rules

RULES = all_rules()
FIXED = [
    pytest.param(rule, i, id=f"{rule.code}-invalid-{i}")
    for rule in RULES
    for i, example in enumerate(rule.INVALID)
    if example.fixed is not None
]


def test_rules_with_fixes_show_an_example_fix():
    for rule in RULES:
        if rule.fix != "none":
            assert any(e.fixed for e in rule.INVALID), f"{rule.code} offers a fix without an example"
        else:
            assert not any(e.fixed for e in rule.INVALID), f"{rule.code} shows a fix it does not offer"


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_the_fix_a_rule_declares_is_the_fix_its_examples_get(rule):
    """``Rule.fix`` against the edits the rule really attaches to its INVALID examples' findings."""
    seen = set()
    for example in rule.INVALID:
        for finding in lint_source(example.source, "example.py", [rule]).findings:
            if finding.fix is not None:
                seen.add("safe" if finding.fix.safe else "unsafe")
    expected = {"none": set(), "safe": {"safe"}, "unsafe": {"unsafe"}, "sometimes-safe": {"safe", "unsafe"}}
    assert seen == expected[rule.fix], f"{rule.code} declares fix={rule.fix!r}; its examples get {sorted(seen) or 'none'}"


@pytest.mark.parametrize("rule,index", FIXED)
def test_an_example_says_which_fix_kind_it_shows(rule, index):
    """A sometimes-safe rule's examples say which kind of fix they show (its page picks one of
    each without running the linter); the claim is what the linter attaches."""
    example = rule.INVALID[index]
    kinds = {f.fix.safe for f in lint_source(example.source, "example.py", [rule]).findings if f.fix is not None}
    if rule.fix == "sometimes-safe":
        assert example.fix_safe is not None, f"{rule.code}: say fix_safe= on its examples with a fix"
        assert kinds == {example.fix_safe}
    else:
        assert example.fix_safe is None


@pytest.mark.parametrize("rule,index", FIXED)
def test_example_is_fixed_to_its_expected_code(rule, index):
    example = rule.INVALID[index]
    outcome = fix_text(example.source, "example.py", [rule], unsafe=True)
    assert outcome.problem is None
    assert outcome.text == example.fixed_source
    assert lint_source(outcome.text, "example.py", [rule]).findings == []
    again = fix_text(outcome.text, "example.py", [rule], unsafe=True)
    assert again.text == outcome.text and again.applied == 0


def test_unsafe_fixes_need_the_flag():
    rule = next(r for r in RULES if r.code == "CA105")
    example = rule.INVALID[0]
    assert fix_text(example.source, "example.py", [rule], unsafe=False).text == example.source


SOURCE = textwrap.dedent(
    """\
    import torch
    from torch.nn.attention.flex_attention import create_block_mask


    def full(b, h, q_idx, kv_idx):
        return True  # keep this comment


    MASK = create_block_mask(full, None, None, 16, 16, device="cpu")

    class Net(torch.nn.Module):
        def forward(self, x):
            print(x)
            return x
    """
)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "m.py").write_text(SOURCE)
    return tmp_path


def test_diff_writes_nothing(run_cli, project):
    before = (project / "m.py").read_bytes()
    code, out, err = run_cli("scan", "m.py", "--diff", cwd=project)
    assert code == 1
    assert "-    return True  # keep this comment" in out and "+    return q_idx >= 0  # keep this comment" in out
    assert "print(x)" not in out.split("@@")[-1] or "is_compiling" not in out  # unsafe fix not shown
    assert "available with `--unsafe-fixes`" in err
    assert (project / "m.py").read_bytes() == before


def test_fix_applies_safe_then_unsafe_and_is_idempotent(run_cli, project):
    code, out, _ = run_cli("scan", "m.py", "--fix", cwd=project)
    text = (project / "m.py").read_text()
    assert "return q_idx >= 0  # keep this comment" in text and "        print(x)\n" in text
    assert code == 1  # the print remains: its fix is unsafe
    code, _, _ = run_cli("scan", "m.py", "--fix", "--unsafe-fixes", cwd=project)
    text = (project / "m.py").read_text()
    assert code == 0
    assert "if not torch.compiler.is_compiling():\n            print(x)" in text
    code, _, _ = run_cli("scan", "m.py", "--fix", "--unsafe-fixes", cwd=project)
    assert code == 0 and (project / "m.py").read_text() == text


def test_fix_keeps_mode_crlf_and_bom(run_cli, project):
    path = project / "m.py"
    path.write_bytes(b"\xef\xbb\xbf" + SOURCE.replace("\n", "\r\n").encode())
    os.chmod(path, 0o640)
    run_cli("scan", "m.py", "--fix", "--unsafe-fixes", cwd=project)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert b"q_idx >= 0" in data
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_read_only_file_is_left_alone(run_cli, project):
    path = project / "m.py"
    os.chmod(path, 0o444)
    try:
        code, _, err = run_cli("scan", "m.py", "--fix", cwd=project)
        assert "read-only" in err and path.read_text() == SOURCE
        assert code != 0
    finally:
        os.chmod(path, 0o644)


def test_file_changed_on_disk_is_left_alone(project, monkeypatch):
    from compile_audit.lint import fix as fix_module

    path = project / "m.py"
    original = path.read_bytes()
    path.write_text(SOURCE + "# edited meanwhile\n")
    with pytest.raises(fix_module.WriteRefused, match="changed on disk"):
        fix_module.write_atomic(path, original, "x = 1\n", "utf-8")
    assert path.read_text().endswith("# edited meanwhile\n")


def test_interrupted_write_leaves_the_file_intact(project, monkeypatch):
    from compile_audit.lint import fix as fix_module

    path = project / "m.py"
    original = path.read_bytes()

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(fix_module.os, "replace", crash)
    with pytest.raises(OSError):
        fix_module.write_atomic(path, original, "x = 1\n", "utf-8")
    assert path.read_bytes() == original
    assert [p.name for p in project.iterdir()] == ["m.py"]  # no temporary file left behind


def test_a_fix_that_would_not_parse_is_never_written(monkeypatch):

    from compile_audit.lint import fix as fix_module

    rule = next(r for r in RULES if r.code == "CA204")
    example = rule.INVALID[0]
    monkeypatch.setattr(fix_module, "_parses", lambda text: False)
    outcome = fix_module.fix_text(example.source, "example.py", [rule], unsafe=True)
    assert outcome.text == example.source and outcome.problem
