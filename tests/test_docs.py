"""docs/rules/ is generated from the rules; it must match them (run `python -m compile_audit.docs`)."""

from compile_audit.docs import expected_pages

from conftest import ROOT


def test_rule_pages_are_up_to_date():
    directory = ROOT / "docs" / "rules"
    for name, text in expected_pages().items():
        path = directory / name
        assert path.exists(), f"missing {path}: run python -m compile_audit.docs"
        assert path.read_text(encoding="utf-8") == text, f"stale {path}: run python -m compile_audit.docs"
    stale = {p.name for p in directory.glob("*.md")} - set(expected_pages())
    assert not stale, f"pages of rules that no longer exist: {stale}"
