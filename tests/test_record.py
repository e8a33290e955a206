"""`compile-audit record -- COMMAND`: targets recorded from a project's own tests (marker: dynamic)."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.dynamic
pytest.importorskip("torch")
PROJECT = ROOT / "tests" / "data" / "recorded"


def run(*argv, cwd):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "compile_audit", *map(str, argv)], cwd=cwd, capture_output=True,
                          text=True, timeout=600, env=env)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture
def project(tmp_path):
    shutil.copytree(PROJECT, tmp_path / "project")
    return tmp_path / "project"


def test_recorded_calls_become_targets_and_give_the_findings_their_verdicts(project):
    pytest_command = [sys.executable, "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider"]
    plain = subprocess.run(pytest_command, cwd=project, capture_output=True, text=True, timeout=600)
    code, out, err = run("record", "--", *pytest_command, cwd=project)
    # the program ran unchanged: its exit code and its own output
    assert code == plain.returncode == 0
    assert out.strip().splitlines()[-1].split(" in ")[0] == plain.stdout.strip().splitlines()[-1].split(" in ")[0]
    assert "recorded 3 functions (1 with a second call of other shapes, 1 more call with other flags)" in err, err
    assert "recorded models.pick with largest=True from tests/test_models.py::test_pick" in err
    assert "recorded models.MLP.forward from tests/test_models.py::test_mlp_shapes" in err
    assert "could not snapshot models.guarded from tests/test_models.py::test_guarded" in err  # a lock

    code, out, err = run("scan", ".", "--confirm", "--no-synthesize", "--output-format", "json", cwd=project)
    document = json.loads(out)
    found = {f["code"]: f for f in document["findings"]}
    mlp_item, pick = sorted((f for f in document["findings"] if f["code"] == "CA102"), key=lambda f: f["line"])
    assert mlp_item["status"] == "confirmed"
    assert mlp_item["target"] == "pkg/models.py::MLP.forward (recorded from tests/test_models.py::test_mlp_shapes)"
    # the branch only a call with other flags runs: that call is a target of its own
    assert pick["status"] == "confirmed"
    assert pick["target"] == "pkg/models.py::pick (recorded from tests/test_models.py::test_pick with largest=True)"
    assert found["CA104"]["status"] == "confirmed" and found["CA104"]["gb_code"] == "GB0170"
    assert found["CA105"]["status"] == "unreached"  # its call could not be recorded
    mlp = next(t for t in document["targets"] if "MLP.forward" in t["target"])
    assert mlp["recompiles"] is not None  # the second call, with other shapes, ran too

    # the code changes: its recordings are stale, not run
    models = project / "pkg" / "models.py"
    models.write_text(models.read_text() + "\n# edited\n")
    code, out, err = run("scan", ".", "--confirm", "--no-synthesize", "--output-format", "json", cwd=project)
    assert "no audit targets" in err
    assert {f["status"] for f in json.loads(out)["findings"]} == {"static"}


def test_the_programs_exit_code_is_kept(project):
    (project / "tests" / "test_fails.py").write_text("def test_fails():\n    assert False\n")
    code, _, err = run("record", "--", sys.executable, "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider",
                       cwd=project)
    assert code == 1 and "recorded 3 functions" in err
    code, _, err = run("record", cwd=project)
    assert code == 2 and "record needs a command" in err


def test_pytest_records_from_inside_the_session(project):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider",
                           "--compile-audit-record"], cwd=project, capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert "recorded models.normalize from tests/test_models.py::test_normalize" in proc.stdout
    code, out, err = run("scan", ".", "--confirm", "--no-synthesize", "--output-format", "json", cwd=project)
    found = {f["code"]: f for f in json.loads(out)["findings"]}
    assert found["CA104"]["status"] == "confirmed"
    assert found["CA104"]["target"].endswith("(recorded from tests/test_models.py::test_normalize)")


@pytest.mark.parametrize("how", ["record", "plugin"])
def test_recording_under_pytest_xdist_equals_one_process(project, how):
    """Issue 30: `record -- pytest -n 2` and `pytest -n 2 --compile-audit-record` record what
    one process records, each call once, though both workers call the same functions (a
    second test file repeats the first); the scan gives the same verdicts."""
    pytest.importorskip("xdist")
    tests = project / "tests"
    (tests / "test_again.py").write_text((tests / "test_models.py").read_text())
    pytest_command = [sys.executable, "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider"]

    def recorded(*extra):
        if how == "record":
            code, out, err = run("record", "--", *pytest_command, *extra, cwd=project)
            said = err
        else:
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            proc = subprocess.run([*pytest_command, "--compile-audit-record", *extra], cwd=project,
                                  capture_output=True, text=True, timeout=600, env=env)
            code, said = proc.returncode, proc.stdout
        assert code == 0, said[-3000:]
        index = project / ".compile_audit_cache" / "recordings" / "index.jsonl"
        slots = [(e["key"], e["variant"], e["call"]) for e in map(json.loads, index.read_text().splitlines())]
        assert len(slots) == len(set(slots)), slots  # each call recorded once, by one worker
        code, out, err = run("scan", ".", "--confirm", "--no-synthesize", "--output-format", "json", cwd=project)
        document = json.loads(out)
        summary = [line.strip() for line in said.splitlines() if line.strip().startswith(("compile-audit: recorded",
                                                                                           "recorded ", "could not"))]
        verdicts = sorted((f["code"], f["line"], f["status"]) for f in document["findings"])
        return sorted(slots), summary, verdicts, sorted(t["target"].split(" (recorded")[0] for t in document["targets"])

    one = recorded()
    both = recorded("-n", "2")
    assert both[0] == one[0]
    assert both[2] == one[2] and {status for _, _, status in one[2]} >= {"confirmed", "unreached"}
    assert both[3] == one[3]
    assert "compile-audit: recorded 3 functions (1 with a second call of other shapes, 1 more call with other flags)" \
        in both[1]


def test_the_fixture_project_gets_its_verdicts_from_its_own_tests(tmp_path):
    """fixtures/tested_project has tests and no audit files: `record -- pytest` then
    `scan --confirm` gives each finding the status fixtures/expected.json records, and the
    verdict file carries them into a static-only run."""
    import torch

    from compile_audit.core.versions import version_matches

    data = json.loads((ROOT / "fixtures" / "expected.json").read_text())
    installed = torch.__version__.split("+")[0]
    if not version_matches(installed, data["torch"]):
        pytest.skip(f"torch {installed} was not measured on the fixtures")
    project = tmp_path / "tested_project"
    shutil.copytree(ROOT / "fixtures" / "tested_project", project)
    code, out, err = run("record", "--", sys.executable, "-m", "pytest", "tests", "-q", "-p", "no:cacheprovider",
                         cwd=project)
    assert code == 0, err
    # issue 27: the demo's record step is quiet (no warning from a plugin the project does not use)
    assert "Warning" not in out + err, out + err
    # generate() holds no finding: it is recorded as a compile entry point (torch.compile(generate))
    assert "recorded model.generate from tests/test_model.py::test_generate_appends_tokens" in err, err

    code, out, err = run("scan", "--confirm", "--save-verdicts", "--output-format", "json", cwd=project)
    assert code == 1, err
    document = json.loads(out)
    assert all("(recorded from tests/test_model.py::" in t["target"] for t in document["targets"])
    actual = {}
    for f in document["findings"]:
        source = (project / f["path"]).read_text().splitlines()[f["line"] - 1].strip()
        actual[(f["code"], source)] = f
    expected = [f for f in data["recorded"]["tested_project/tinylm/model.py"]
                if version_matches(installed, f.get("torch", data["torch"]))]
    assert len(actual) == len(expected)
    for f in expected:
        got = actual[(f["code"], f["source"])]
        assert got["status"] == f["status"], (f, got["status"])
        assert got.get("gb_code") == f.get("gb_code", got.get("gb_code"))

    # a static-only run (no torch needed) reads the verdict file
    code, out, err = run("scan", "--output-format", "json", cwd=project)
    statuses = {f["code"]: f["status"] for f in json.loads(out)["findings"]}
    for f in expected:
        if f["status"] in ("confirmed", "refuted"):
            assert statuses[f["code"]] == f["status"], statuses
