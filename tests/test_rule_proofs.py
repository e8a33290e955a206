"""Every rule's examples, proven against the installed torch through the dynamic runner.

Each example with a ``target`` becomes a module and its target an audit target; one
``compile-audit verify`` run compiles them all (``compile_audit.maintain.proofs``), the examples of
rules gated off on this release included. An INVALID example must do what its rule's ``proof``
says (break under fullgraph=True at its line, break in default mode at its line, recompile on
its second call, fail eagerly, or compile whole for "none") on the releases its rule and its
own ``torch`` range cover, and compile whole elsewhere; a VALID example must compile whole
without recompiling. Where a proof record of this release is committed
(``compile_audit/proofs/torch-<version>.json``), every example must still do what it records.
Marked ``dynamic``: ``-m "not dynamic"`` skips it.
"""

import pytest

from compile_audit.proofs import example_key, expected_behaviour, record_for
from compile_audit.maintain.proofs import agrees, build, cases, module_name, observe, verify
from compile_audit.lint.registry import all_rules
from compile_audit.core.torch_release import installed

pytestmark = pytest.mark.dynamic
pytest.importorskip("torch")

TORCH = installed()
CASES = cases()
RECORD = record_for(TORCH) if TORCH else None


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("examples")
    build(folder, CASES)
    targets, ran = verify(folder, jobs=2)
    assert str(ran).split("+")[0] == TORCH
    return targets


@pytest.mark.parametrize(
    "rule,kind,index,example", CASES, ids=[f"{r.code}-{k}-{i}" for r, k, i, _ in CASES]
)
def test_example_behaves_as_its_rule_says(verdicts, rule, kind, index, example):
    name = module_name(rule, kind, index)
    observed = observe(verdicts[name], name)
    expected = expected_behaviour(rule, kind, example, TORCH)
    problem = agrees(observed, expected, example.line if kind == "invalid" else None)
    assert problem is None, f"{rule.code} {kind} {index} on torch {TORCH}: {problem}"


@pytest.mark.parametrize(
    "rule,kind,index,example", CASES, ids=[f"{r.code}-{k}-{i}" for r, k, i, _ in CASES]
)
def test_example_does_what_the_record_of_this_release_says(verdicts, rule, kind, index, example):
    if RECORD is None:
        pytest.skip(f"no proof record of torch {TORCH} (compile_audit/proofs/)")
    key = example_key(rule.code, kind, index)
    assert key in RECORD.examples, f"{key} is not in {RECORD.path.name}: rerun python -m compile_audit.maintain.proofs --write"
    name = module_name(rule, kind, index)
    assert observe(verdicts[name], name) == RECORD.examples[key], f"{key}: the record of torch {TORCH} is stale"


def test_every_rule_is_proven_by_two_valid_and_two_invalid_examples():
    for rule in all_rules():
        if rule.dynamic_only or rule.code.startswith("CA9") or not rule.applies_to_torch(TORCH):
            continue
        valid = [e for e in rule.VALID if e.target]
        invalid = [e for e in rule.INVALID if e.target and e.applies_to_torch(TORCH)]
        assert len(valid) >= 2 and len(invalid) >= 2, f"{rule.code}: {len(valid)} valid, {len(invalid)} invalid targets"
