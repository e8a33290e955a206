"""docs/rules/ and docs/coverage.md are generated from the rules; they must match them (run
`python -m compile_audit.maintain.docs`)."""

import fnmatch
import json
import os
import re
import subprocess
import sys

import pytest

from compile_audit.maintain.coverage import (COVERED, FAMILIES, REASONS, STATUSES, coverage_page, missing_reasons,
                                    rows, rules_by_code, user_triggerable)
from compile_audit.maintain.docs import expected_pages
from compile_audit.report.rule_page import proven_examples, rule_page
from compile_audit.maintain.gb_registry import SNAPSHOT, load, registry_snapshot, torch_dir, torch_version
from compile_audit.proofs import PROOF_BEHAVIOUR, verdict_lines
from compile_audit.lint.registry import all_rules
from compile_audit.lint.rule import FIXES, PROOFS

from conftest import ROOT


def test_rule_pages_are_up_to_date():
    directory = ROOT / "docs" / "rules"
    for name, text in expected_pages().items():
        path = directory / name
        assert path.exists(), f"missing {path}: run python -m compile_audit.maintain.docs"
        assert path.read_text(encoding="utf-8") == text, f"stale {path}: run python -m compile_audit.maintain.docs"
    stale = {p.name for p in directory.glob("*.md")} - set(expected_pages())
    assert not stale, f"pages of rules that no longer exist: {stale}"


def test_coverage_page_is_up_to_date():
    path = ROOT / "docs" / "coverage.md"
    assert path.exists(), f"missing {path}: run python -m compile_audit.maintain.docs"
    assert path.read_text(encoding="utf-8") == coverage_page(), f"stale {path}: run python -m compile_audit.maintain.docs"


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
            "from compile_audit.maintain.docs import coverage_page\n"
            "assert 'GB0170' in coverage_page()\n"
            "assert not any(m == 'torch' or m.startswith('torch.') for m, v in sys.modules.items() if v is not None)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]


def test_the_registry_snapshot_matches_the_installed_torch():
    """Where the installed torch is the snapshot's release, the snapshot is what its registry says
    (`python -m compile_audit.maintain.gb_registry --write --newer PYTHON` rewrites it)."""
    import importlib.util

    if importlib.util.find_spec("torch") is None:
        pytest.skip("torch is not installed")
    root = torch_dir()
    if torch_version(root) != load().torch:
        pytest.skip(f"installed torch {torch_version(root)} is not the snapshot's {load().torch}")
    data = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    fresh = registry_snapshot(root)
    assert data["codes"] == fresh["codes"] and data["unregistered"] == fresh["unregistered"], \
        "stale compile_audit/data/gb_registry.json: run python -m compile_audit.maintain.gb_registry --write --newer PYTHON"


# -- the rule pages claim only what is true -------------------------------------------------------

RULES = all_rules()


def test_every_proof_kind_has_a_behaviour_in_the_records():
    assert set(PROOF_BEHAVIOUR) == set(PROOFS)


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_a_rule_claims_a_proof_only_when_its_examples_can_prove_it(rule):
    assert rule.fix in FIXES
    targets = [e for e in [*rule.INVALID, *rule.VALID] if e.target]
    if rule.proof is None:
        assert not targets, f"{rule.code} has examples with targets but no proof to check them against"
    else:
        assert rule.proof in PROOFS and not rule.dynamic_only
        assert any(e.target for e in rule.INVALID), f"{rule.code} claims proof={rule.proof!r} without an INVALID target"
    if rule.dynamic_only:
        assert rule.EXAMPLE_RUN is not None, f"{rule.code}: a dynamic-only rule shows a real run of the tool"


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_pages_say_only_what_the_rule_proves(rule):
    page = rule_page(rule)
    invalid, _ = proven_examples(rule)
    if not invalid:
        assert "## Why it breaks the graph" not in page and "## Why it fails" not in page
        assert "The proof runs" not in page and "fullgraph=True)` at the flagged line" not in page
    elif rule.proof in ("fullgraph", "default"):
        assert "## Why it breaks the graph" in page
    else:
        assert "## Why it breaks the graph" not in page
    if "## Dynamo's verdict" in page:
        assert rule.verdict or invalid
    for line in verdict_lines(rule):
        assert line in page
    if invalid and not verdict_lines(rule):
        assert "No proof record holds" in page
    if rule.dynamic_only:
        assert "## Use instead" not in page and rule.EXAMPLE_RUN.text.rstrip() in page
    if rule.fix == "none":
        assert "Fix: none" in page and "scan --fix" not in page


#: words that tell the project's own history rather than what the rule does
HISTORY = re.compile(r"\bseeds? \d|ticket|\bissue \d|previously|used to\b|before this change|\bwe\b|\bour\b|"
                     r"no automatic fix yet|\breviewed\b", re.IGNORECASE)


def test_rule_pages_tell_no_project_history():
    for name, text in expected_pages().items():
        found = HISTORY.findall(text)
        assert not found, f"{name}: {found}"


@pytest.mark.dynamic
@pytest.mark.parametrize("rule", [r for r in RULES if r.EXAMPLE_RUN], ids=[r.code for r in RULES if r.EXAMPLE_RUN])
def test_the_example_run_on_a_rule_page_is_what_the_tool_prints(rule, tmp_path):
    pytest.importorskip("torch")
    from compile_audit.core.torch_release import installed

    run = rule.EXAMPLE_RUN
    running = installed()
    for name, code in run.sources():
        (tmp_path / name).write_text(code, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, "-m", "compile_audit", *run.args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)

    def words(text):  # the timings aside (the last column of the targets table), and the table's widths;
        # graph and op counts, which differ between releases
        lines = [re.sub(r" \d+\.\d\d$", " <seconds>", " ".join(line.split())) for line in text.strip().splitlines()]
        lines = [re.sub(r"graphs: [^·]*·", "graphs: <graphs> ·", line) for line in lines]
        return [re.sub(r"\d+ graphs?( \([\d+]+ ops\))?( \d+%)?", "<graphs>", line) for line in lines]

    # the page shows a run on run.torch; on another release the same break is expected, and
    # only the release's number in the output differs
    printed = proc.stdout.replace(f"torch {running}", f"torch {run.torch}")

    assert words(printed) == words(run.text), f"{rule.code}: the tool now prints\n{proc.stdout}\n{proc.stderr}"


def test_the_rule_catalog_is_what_the_rules_say():
    """compile_audit/data/rules.json lets a warm scan select rules without importing them."""
    from compile_audit.maintain.docs import catalog_text
    from compile_audit.lint.registry import CATALOG

    assert CATALOG.read_text(encoding="utf-8") == catalog_text(), "run `python -m compile_audit.maintain.docs`"
