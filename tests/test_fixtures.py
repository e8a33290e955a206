"""The seed fixtures: each file's findings are exactly those recorded in fixtures/expected.json."""

import json
from collections import defaultdict

from compile_audit.core.config import Settings
from compile_audit.lint.scan import scan
from compile_audit.lint.session import Session

from conftest import FIXTURES, ROOT


def _expected():
    data = json.loads((FIXTURES / "expected.json").read_text())
    return {path: [{"code": f["code"], "source": f["source"]} for f in findings]
            for path, findings in data["static"].items()}


def _actual():
    result = scan(Session(Settings(root=ROOT), ROOT, [FIXTURES]), [FIXTURES])
    assert result.errors == []
    lines = {}
    found = defaultdict(list)
    for finding in result.findings:
        path = finding.path.removeprefix("fixtures/")
        if path not in lines:
            lines[path] = (FIXTURES / path).read_text().splitlines()
        found[path].append({"code": finding.code, "source": lines[path][finding.line - 1].strip()})
    return found


def test_every_fixture_module_is_listed():
    listed = set(_expected())
    modules = {
        p.relative_to(FIXTURES).as_posix()
        for p in FIXTURES.rglob("*.py")
        if not p.name.startswith("audit_") and not p.name.endswith("_audit.py")
    }
    assert modules == listed


def test_fixture_findings_match_expected():
    expected = _expected()
    actual = _actual()
    for path, findings in expected.items():
        key = lambda f: (f["code"], f["source"])  # noqa: E731
        assert sorted(actual.get(path, []), key=key) == sorted(findings, key=key), path
    assert set(actual) <= set(expected)


def test_fixed_seed_fixtures_are_clean():
    actual = _actual()
    for path in ("flex_block/blueprint_fixed.py", "llama_flex/llama_flex_fixed.py"):
        assert actual.get(path, []) == []
