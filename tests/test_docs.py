"""docs/rules/ and docs/coverage.md are generated from the rules; they must match them (run
`python -m compile_audit.docs`)."""

import fnmatch
import json
import subprocess
import sys

import pytest

from compile_audit.coverage import (COVERED, FAMILIES, REASONS, STATUSES, coverage_page, missing_reasons,
                                    rows, rules_by_code, user_triggerable)
from compile_audit.docs import expected_pages
from compile_audit.gb_registry import SNAPSHOT, load, registry_snapshot, torch_dir, torch_version

from conftest import ROOT


def test_rule_pages_are_up_to_date():
    directory = ROOT / "docs" / "rules"
    for name, text in expected_pages().items():
        path = directory / name
        assert path.exists(), f"missing {path}: run python -m compile_audit.docs"
        assert path.read_text(encoding="utf-8") == text, f"stale {path}: run python -m compile_audit.docs"
    stale = {p.name for p in directory.glob("*.md")} - set(expected_pages())
    assert not stale, f"pages of rules that no longer exist: {stale}"


def test_coverage_page_is_up_to_date():
    path = ROOT / "docs" / "coverage.md"
    assert path.exists(), f"missing {path}: run python -m compile_audit.docs"
    assert path.read_text(encoding="utf-8") == coverage_page(), f"stale {path}: run python -m compile_audit.docs"


def test_every_user_triggerable_code_has_a_rule_or_a_reason():
    snapshot = load()
    covered = rules_by_code()
    codes = {**snapshot.codes, **snapshot.added}
    table = rows(codes, covered)
    assert table and all(r.status in STATUSES for r in table), [r.code.code for r in table if not r.status]
    assert not missing_reasons(snapshot)
    for row in table:
        assert (row.status == COVERED) == bool(row.rules), row.code.code
        if row.status != COVERED:
            assert row.family in FAMILIES and FAMILIES[row.family].status == row.status, row.code.code
    # every curated reason is for a code that still needs one (a user-triggerable code of the snapshot)
    stale = sorted(c for c in REASONS if c not in codes or not user_triggerable(codes[c], covered))
    assert not stale, f"reasons for codes that are not user-triggerable: {stale}"
    assert set(FAMILIES) == {family for family, _ in REASONS.values()}
    # the page has one row per user-triggerable code
    page = coverage_page(snapshot)
    for row in table:
        assert f"\n| {row.code.code} " in page, row.code.code


def test_the_registry_snapshot_ships_and_needs_no_torch():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert "compile_audit.data" in config["packages"]
    assert any(fnmatch.fnmatch(SNAPSHOT.name, pattern) for pattern in config["package-data"]["compile_audit.data"])
    # the page is generated with torch unimportable
    code = ("import sys; sys.modules['torch'] = None\n"
            "from compile_audit.docs import coverage_page\n"
            "assert 'GB0170' in coverage_page()\n"
            "assert not any(m == 'torch' or m.startswith('torch.') for m, v in sys.modules.items() if v is not None)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]


def test_the_registry_snapshot_matches_the_installed_torch():
    """Where the installed torch is the snapshot's release, the snapshot is what its registry says
    (`python -m compile_audit.gb_registry --write --newer PYTHON` rewrites it)."""
    import importlib.util

    if importlib.util.find_spec("torch") is None:
        pytest.skip("torch is not installed")
    root = torch_dir()
    if torch_version(root) != load().torch:
        pytest.skip(f"installed torch {torch_version(root)} is not the snapshot's {load().torch}")
    data = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    fresh = registry_snapshot(root)
    assert data["codes"] == fresh["codes"] and data["unregistered"] == fresh["unregistered"], \
        "stale compile_audit/data/gb_registry.json: run python -m compile_audit.gb_registry --write --newer PYTHON"
