"""The dynamic layer, for real: torch.compile in worker processes (marker: dynamic)."""

import json
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT

pytestmark = pytest.mark.dynamic
torch = pytest.importorskip("torch")
HOSTILE = ROOT / "tests" / "data" / "hostile"


def run(*argv, cwd=ROOT, timeout=600):
    proc = subprocess.run(
        [sys.executable, "-m", "compile_audit", *map(str, argv)],
        cwd=cwd, capture_output=True, text=True, timeout=timeout,
    )
    return proc.returncode, proc.stdout, proc.stderr


def _verdict(target):
    if target["error"]:
        return f"{target['error']['kind']} error"
    if target["failed"] == "eager":
        return "fails without compile"
    status = target["fullgraph"]["status"]
    return f"break {target['fullgraph']['gb_code']}" if status == "break" else status


@pytest.fixture(scope="module")
def confirmed():
    code, out, err = run("scan", "fixtures", "--confirm", "--jobs", "2", "--output-format", "json")
    assert code == 1, err
    return json.loads(out)


@pytest.fixture(scope="module")
def expected():
    """The fixtures' expected statuses for the installed torch: the entries whose ``torch``
    specifier (the file's, else their own) admits it."""
    from compile_audit.core.versions import version_matches

    data = json.loads((FIXTURES / "expected.json").read_text())
    installed = torch.__version__.split("+")[0]
    if not version_matches(installed, data["torch"]):
        pytest.skip(f"no release in {data['torch']!r} was measured like torch {installed}: run "
                    "`compile-audit scan fixtures --confirm` on it and extend fixtures/expected.json")
    for section in ("static", "dynamic"):
        data[section] = {path: [f for f in findings if version_matches(installed, f.get("torch", data["torch"]))]
                         for path, findings in data[section].items()}
    return data


def _by_file(document):
    out = {}
    for finding in document["findings"]:
        path = finding["path"].removeprefix("fixtures/")
        source = (FIXTURES / path).read_text().splitlines()[finding["line"] - 1].strip()
        out.setdefault(path, []).append((finding["code"], source, finding["status"], finding["gb_code"]))
    return out


def test_every_fixture_finding_has_the_status_torch_implies(confirmed, expected):
    actual = _by_file(confirmed)
    for section in ("static", "dynamic"):
        for path, findings in expected[section].items():
            for f in findings:
                match = [a for a in actual.get(path, []) if a[:2] == (f["code"], f["source"])]
                assert match, f"{path}: missing {f}"
                assert match[0][2] == f["status"], f"{path}: {f['code']} {f['source']!r} is {match[0][2]}"
                if "gb_code" in f:
                    assert match[0][3] == f["gb_code"]
    reported = sum(len(v) for v in actual.values())
    assert reported == sum(len(v) for s in ("static", "dynamic") for v in expected[s].values())


def test_every_status_occurs(confirmed):
    by_status = confirmed["summary"]["by_status"]
    for status in ("confirmed", "refuted", "unreached", "dynamic"):
        assert by_status[status] > 0, status
    assert by_status["static"] == 0


def test_seed_003_isinstance_is_refuted_on_this_torch(confirmed):
    (finding,) = [f for f in confirmed["findings"] if f["code"] == "CA101" and "flex_block" in f["path"]]
    assert finding["status"] == "refuted"
    assert finding["target"] == "fixtures/flex_block/audit_flex_block.py::audit_blueprint_before"


def test_target_verdicts(confirmed, expected):
    actual = {t["target"].removeprefix("fixtures/"): _verdict(t) for t in confirmed["targets"]}
    assert actual == expected["targets"]
    assert confirmed["torch"] == torch.__version__.split("+")[0]


def test_fixed_fixtures_compile_whole(confirmed):
    fixed = [t for t in confirmed["targets"] if "fixed" in t["target"]]
    assert len(fixed) == 3
    for target in fixed:
        assert target["fullgraph"]["status"] == "compiled" and target["breaks"] == [], target


def test_hostile_targets_are_each_reported_and_the_rest_completes(tmp_path):
    for source in HOSTILE.iterdir():
        (tmp_path / source.name).write_text(source.read_text())
    code, out, err = run("verify", ".", "--jobs", "1", "--timeout", "20", "--output-format", "json", cwd=tmp_path)
    assert code == 1, err
    document = json.loads(out)
    verdicts = {t["target"].split("::")[-1]: t for t in document["targets"]}
    kinds = {name: (t["error"] or {}).get("kind") for name, t in verdicts.items()}
    assert kinds == {
        "audit_good_first": None,
        "audit_hang": "timeout",
        "audit_segfault": "crash",
        "audit_sys_exit": "exit",
        "audit_os_exit": "crash",
        "audit_flood": None,
        "audit_factory_error": "factory",
        "audit_not_a_target": "factory",
        "audit_moves_cwd_and_env": None,
        "audit_state_was_restored": None,
        "audit_good_last": None,
        "audit_never": "import",
    }
    assert "SIGSEGV" in verdicts["audit_segfault"]["error"]["message"]
    assert "code 7" in verdicts["audit_os_exit"]["error"]["message"]
    for name in ("audit_good_first", "audit_good_last", "audit_state_was_restored"):
        assert verdicts[name]["fullgraph"]["status"] == "compiled", name
    # the flood was captured and cut, never mixed into the report
    assert "xxxxxxxx" not in out
    flood = [f for f in document["findings"] if f["target"].endswith("audit_flood") and f["code"] == "CA903"]
    assert flood and "output" in flood[0]["message"]
    failed = {f["target"].split("::")[-1] for f in document["findings"] if f["code"] == "CA903"}
    assert failed == {n for n, k in kinds.items() if k} | {"audit_flood"}


def test_verify_exit_codes(tmp_path):
    (tmp_path / "model.py").write_text("def f(x):\n    return x * 2\n")
    (tmp_path / "audit_model.py").write_text(
        "import torch\nfrom model import f\n\ndef audit_f():\n    return f, (torch.ones(2),)\n"
    )
    code, out, err = run("verify", ".", cwd=tmp_path)
    assert code == 0, out + err
    (tmp_path / "model.py").write_text("def f(x):\n    print(x)\n    return x * 2\n")
    code, out, _ = run("verify", ".", cwd=tmp_path)
    assert code == 1
    assert "model.py:2:" in out and "CA902" in out and "GB0059" in out


def test_memory_growth_past_the_limit_is_reported(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.compile-audit]\nmemory-limit = 1073741824\n")
    (tmp_path / "audit_memory.py").write_text(
        "import torch\n\n"
        "def grow(x):\n"
        "    blocks = [bytearray(256 * 1024 * 1024) for _ in range(16)]\n"
        "    return x + len(blocks)\n\n"
        "def audit_grow():\n    return grow, (torch.ones(2),)\n\n"
        "def audit_after():\n    return (lambda x: x * 2), (torch.ones(2),)\n"
    )
    code, out, err = run("verify", ".", "--jobs", "1", "--output-format", "json", cwd=tmp_path)
    assert code == 1, err
    targets = {t["target"].split("::")[-1]: t for t in json.loads(out)["targets"]}
    assert targets["audit_grow"]["error"]["kind"] == "memory"
    assert targets["audit_after"]["error"] is None and targets["audit_after"]["fullgraph"]["status"] == "compiled"
