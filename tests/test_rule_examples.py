"""Every example of every rule becomes a test: adding a rule never means editing this file."""

import pytest

from compile_audit.lint.engine import lint_source
from compile_audit.proofs import proven_releases
from compile_audit.lint.registry import all_rules
from compile_audit.analysis.torch_types import TorchTypes

RULES = all_rules()
VALID = [pytest.param(rule, i, id=f"{rule.code}-valid-{i}") for rule in RULES for i in range(len(rule.VALID))]
INVALID = [pytest.param(rule, i, id=f"{rule.code}-invalid-{i}") for rule in RULES for i in range(len(rule.INVALID))]


def test_every_rule_has_examples():
    for rule in RULES:
        assert len(rule.VALID) >= 2, f"{rule.code} needs at least two VALID examples"
        if rule.dynamic_only:
            assert not rule.INVALID, f"{rule.code} is reported by the dynamic layer only"
            continue
        assert len(rule.INVALID) >= 2, f"{rule.code} needs at least two INVALID examples"
        for example in rule.INVALID:
            assert example.line is not None, f"{rule.code}: INVALID examples name the line of the finding"


@pytest.mark.parametrize("rule,index", INVALID)
def test_invalid_example_is_flagged_at_its_line(rule, index):
    example = rule.INVALID[index]
    # the newest proven release the example holds on (test_versions.py checks every release)
    release = next(r for r in reversed(proven_releases()) if rule.applies_to_torch(r) and example.applies_to_torch(r))
    result = lint_source(example.source, "example.py", [rule], torch_types=TorchTypes.load(release))
    lines = [f.span.line for f in result.findings if f.code == rule.code]
    assert example.line in lines, f"{rule.code} should flag line {example.line}; got {result.findings}"


@pytest.mark.parametrize("rule,index", VALID)
def test_valid_example_is_flagged_by_no_rule(rule, index):
    example = rule.VALID[index]
    result = lint_source(example.source, "example.py", RULES)
    assert result.findings == [], f"VALID example {index} of {rule.code} is flagged: {result.findings}"


def test_codes_are_unique_and_in_bands():
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes))
    for code in codes:
        assert code[:2] == "CA" and code[2] in "12349" and len(code) == 5 and code[2:].isdigit()
