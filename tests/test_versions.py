"""The torch-release matrix: the committed proof records, the rules' ranges, and the release the
static verdicts are for. Static: the records were written by real runs (``test_rule_proofs.py``
re-checks the record of the installed release); these tests hold the rules to them."""

import json

import pytest

from compile_audit.maintain.docs import versions_page
from compile_audit.lint.engine import lint_source
from compile_audit.proofs import example_key, expected_behaviour, proven_releases, records
from compile_audit.maintain.proofs import agrees, cases
from compile_audit.lint.registry import all_rules
from compile_audit.core.torch_release import project_pin, resolve
from compile_audit.analysis.torch_types import TorchTypes
from conftest import ROOT

PROVEN = proven_releases()
RULES = all_rules()


def test_two_releases_at_least_are_proven_and_the_gpu_record_covers_flexattention():
    assert len(PROVEN) >= 2, PROVEN
    assert "2.13.0" in PROVEN
    gpu = [r for r in records() if r.device == "cuda"]
    assert {r.backend for r in gpu} >= {"eager", "inductor"}, [r.name for r in gpu]
    assert all(r.covers("CA201") and r.fixtures for r in gpu)


@pytest.mark.parametrize("record", records(), ids=lambda r: r.path.name)
def test_every_example_did_on_each_release_what_its_rule_and_range_say(record):
    """A rule (or one example's pattern) is on for a release exactly where Dynamo breaks as it says."""
    problems = []
    for rule, kind, index, example in cases():
        if not record.covers(rule.code):
            continue
        key = example_key(rule.code, kind, index)
        assert key in record.examples, f"{key} missing from {record.path.name}: rerun the proofs on {record.name}"
        expected = expected_behaviour(rule, kind, example, record.torch)
        problem = agrees(record.examples[key], expected, example.line if kind == "invalid" else None)
        if problem:
            problems.append(f"{key}: {problem}")
    assert not problems, f"{record.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("release", PROVEN)
def test_static_findings_follow_the_release(release):
    """On each proven release, an INVALID example is flagged at its line exactly where its rule
    and its own range apply; VALID examples are flagged by no rule."""
    types = TorchTypes.load(release)
    enabled = [r for r in RULES if r.applies_to_torch(release)]
    for rule in RULES:
        for example in rule.INVALID:
            result = lint_source(example.source, "example.py", enabled, torch_types=types)
            lines = [f.span.line for f in result.findings if f.code == rule.code]
            if rule.applies_to_torch(release) and example.applies_to_torch(release):
                assert example.line in lines, f"{rule.code} should flag line {example.line} on torch {release}"
            else:
                assert example.line not in lines, f"{rule.code} flags line {example.line} on torch {release}"
        for example in rule.VALID:
            result = lint_source(example.source, "example.py", enabled, torch_types=types)
            assert result.findings == [], f"a VALID example of {rule.code} is flagged on torch {release}"


def test_docs_versions_page_is_up_to_date():
    page = ROOT / "docs" / "versions.md"
    assert page.read_text(encoding="utf-8") == versions_page(), "run python -m compile_audit.maintain.docs"


def test_release_order_option_config_installed_pin_assumed(tmp_path):
    assert resolve("2.14", "2.13", tmp_path, installed_version="2.13.0").version == "2.14"
    assert resolve(None, "2.13", tmp_path, installed_version="2.14.1").source.startswith("target-torch")
    assert resolve(None, None, tmp_path, installed_version="2.14.1").source == "installed"
    (tmp_path / "requirements.txt").write_text("numpy\ntorch==2.13.0 ; python_version >= '3.10'\n")
    found = resolve(None, None, tmp_path, look_installed=False)
    assert (found.version, found.source) == ("2.13.0", "pinned in requirements.txt")
    (tmp_path / "requirements.txt").unlink()
    assumed = resolve(None, None, tmp_path, look_installed=False)
    assert assumed.version == PROVEN[-1] and "assumed" in assumed.source


@pytest.mark.parametrize("spec,release", [
    ("torch==2.13.0", "2.13.0"), ("torch>=2.6", None), ("torch>=2.6,<2.14", "2.13.0"),
    ("torch~=2.13.0", "2.13.0"), ("torch[opt-einsum]>=2.14", None), ("torch", None),
])
def test_pins_in_pyproject(tmp_path, spec, release):
    (tmp_path / "pyproject.toml").write_text(f'[project]\nname = "p"\ndependencies = ["{spec}"]\n')
    pin = project_pin(tmp_path)
    if spec == "torch":
        assert pin is None
        return
    # a range stands for the newest proven release it admits
    assert pin[0] == (release or PROVEN[-1]) and pin[1] == "pyproject.toml"


SOURCE = "import random\nimport torch\n\n@torch.compile\ndef f(x):\n    return x * random.random()\n"


@pytest.mark.parametrize("release,flagged", [("2.13", True), ("2.14", False)])
def test_scan_verdicts_change_with_target_torch(run_cli, tmp_path, release, flagged):
    (tmp_path / "m.py").write_text(SOURCE)
    (tmp_path / "pyproject.toml").write_text(f'[tool.compile-audit]\ntarget-torch = "{release}"\n')
    code, out, _ = run_cli("scan", ".", "--no-cache", "--output-format", "json", cwd=tmp_path)
    document = json.loads(out)
    assert document["target_torch"]["version"] == release
    assert document["target_torch"]["source"] == "target-torch in the configuration"
    assert ([f["code"] for f in document["findings"]] == ["CA115"]) is flagged and code == (1 if flagged else 0)
    # the command line wins over the configuration, and the text header says which release
    other = "2.14" if release == "2.13" else "2.13"
    code, out, _ = run_cli("scan", ".", "--no-cache", "--target-torch", other, cwd=tmp_path)
    assert (code == 1) is (not flagged)
    if code == 1:
        assert out.splitlines()[0] == f"compile-audit: verdicts for torch {other} (--target-torch)"


def test_target_torch_is_validated(run_cli, tmp_path):
    (tmp_path / "m.py").write_text(SOURCE)
    with pytest.raises(SystemExit) as exit_info:  # argparse's usage error
        run_cli("scan", ".", "--target-torch", "latest", cwd=tmp_path)
    assert exit_info.value.code == 2
    (tmp_path / "pyproject.toml").write_text('[tool.compile-audit]\ntarget-torch = "two"\n')
    code, _, err = run_cli("scan", ".", cwd=tmp_path)
    assert code == 2 and "target-torch" in err


def test_targets_table_says_when_the_release_is_not_proven():
    from compile_audit.report.text import targets_table
    from compile_audit.lint.scan import ScanResult

    proven = ScanResult(torch_version=PROVEN[-1], dynamic=True)
    other = ScanResult(torch_version="2.9.1", dynamic=True)
    assert "not a release" not in str(targets_table(proven).title)
    assert "not a release the rules are proven on" in str(targets_table(other).title)
    assert f"torch {PROVEN[-1]}" in str(targets_table(proven).title)
