"""Every rule's examples, proven against the installed torch through the dynamic runner.

For each example with a ``target``, the example becomes a module and its target an audit
target; one ``compile-audit verify`` run compiles them all. An INVALID example must do what its
rule's ``proof`` says (break under fullgraph=True at its line, break in default mode at its
line, recompile on its second call, fail eagerly, or compile whole for "none"); a VALID example
must compile whole without recompiling. Marked ``dynamic``: ``-m "not dynamic"`` skips it.
"""

import json
import subprocess
import sys

import pytest

from compile_audit.registry import all_rules
from compile_audit.scan import installed_torch_version

pytestmark = pytest.mark.dynamic
pytest.importorskip("torch")

TORCH = installed_torch_version()
CASES = []
for rule in all_rules():
    if not rule.applies_to_torch(TORCH):
        continue
    for kind, examples in (("valid", rule.VALID), ("invalid", rule.INVALID)):
        for index, example in enumerate(examples):
            if example.target is not None:
                CASES.append((rule, kind, index, example))


def _name(rule, kind, index):
    return f"ex_{rule.code}_{kind}_{index}"


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("examples")
    audit = ["from compile_audit import Target\n"]
    for rule, kind, index, example in CASES:
        name = _name(rule, kind, index)
        (folder / f"{name}.py").write_text(example.source)
        audit.append(
            f"\ndef audit_{name}():\n    import {name} as m\n"
            f"    return eval({example.target!r}, dict(vars(m), Target=Target))\n"
        )
    (folder / "audit_examples.py").write_text("".join(audit))
    proc = subprocess.run(
        [sys.executable, "-m", "compile_audit", "verify", ".", "--jobs", "2", "--timeout", "120",
         "--output-format", "json"],
        cwd=folder, capture_output=True, text=True, timeout=1800,
    )
    assert proc.returncode in (0, 1), proc.stderr
    document = json.loads(proc.stdout)
    return {t["target"].split("::audit_")[1]: t for t in document["targets"]}


def _lines(target, name):
    """Lines of the example module where Dynamo broke: (default-mode lines, fullgraph line)."""
    default = {b["frame"]["line"] for b in target["breaks"] if b["frame"] and b["frame"]["file"].endswith(f"{name}.py")}
    frame = (target["fullgraph"] or {}).get("frame") or {}
    strict = frame.get("line") if frame.get("file", "").endswith(f"{name}.py") else None
    return default, strict


@pytest.mark.parametrize(
    "rule,kind,index,example", CASES, ids=[f"{r.code}-{k}-{i}" for r, k, i, _ in CASES]
)
def test_example_behaves_as_its_rule_says(verdicts, rule, kind, index, example):
    name = _name(rule, kind, index)
    target = verdicts[name]
    assert target["error"] is None, target["error"]
    status = (target["fullgraph"] or {}).get("status")
    default, strict = _lines(target, name)
    recompiles = (target.get("recompiles") or {}).get("count", 0)
    if kind == "valid" or rule.proof == "none":
        assert target["eager_error"] is None, target["eager_error"]
        assert status == "compiled" and not target["breaks"], target
        if kind == "valid":
            assert recompiles == 0, target
        return
    if rule.proof == "fullgraph":
        assert status == "break", target
        if strict is None:  # Dynamo gave the fullgraph error no user frame: the default-mode break locates it
            assert example.line in default, f"default mode broke at {sorted(default)}, the rule flags {example.line}"
        else:
            assert strict == example.line, f"fullgraph=True broke at line {strict}, the rule flags {example.line}"
    elif rule.proof == "default":
        assert status == "compiled", f"expected fullgraph=True to capture it: {target['fullgraph']}"
        assert example.line in default, f"default mode broke at {sorted(default)}, the rule flags {example.line}"
    elif rule.proof == "recompile":
        assert recompiles > 0, target
    elif rule.proof == "eager":
        assert target["eager_error"] is not None, target
    else:  # pragma: no cover
        pytest.fail(f"unknown proof {rule.proof!r}")


def test_every_rule_is_proven_by_two_valid_and_two_invalid_examples():
    for rule in all_rules():
        if rule.dynamic_only or rule.code.startswith("CA9") or not rule.applies_to_torch(TORCH):
            continue
        valid = [e for e in rule.VALID if e.target]
        invalid = [e for e in rule.INVALID if e.target]
        assert len(valid) >= 2 and len(invalid) >= 2, f"{rule.code}: {len(valid)} valid, {len(invalid)} invalid targets"
