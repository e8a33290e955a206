"""Output formats, baseline, cache, parallel scan and settings: the CI-gate contracts."""

import json
import os
import textwrap
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from conftest import ROOT

BREAKS = textwrap.dedent(
    """\
    import torch

    class Net(torch.nn.Module):
        def forward(self, x):
            print("a, b: 100%\\n")
            if x.sum() > 0:
                x = x * 2
            return x.sum().item()
    """
)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.compile-audit]\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "model.py").write_text(BREAKS)
    return tmp_path


def test_sarif_validates_against_the_schema(run_cli, project):
    code, out, _ = run_cli("scan", "src", "--output-format", "sarif", cwd=project)
    assert code == 1
    document = json.loads(out)
    schema = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
    jsonschema.validate(document, schema)
    run = document["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["CA104"]["helpUri"].endswith("/docs/rules/CA104.md")
    assert "## Why it breaks the graph" in rules["CA104"]["help"]["markdown"]
    results = run["results"]
    assert {r["ruleId"] for r in results} == {"CA102", "CA104", "CA105"}
    by_rule = {r["ruleId"]: r for r in results}
    assert by_rule["CA104"]["level"] == "error" and by_rule["CA102"]["level"] == "warning"
    assert by_rule["CA104"]["properties"]["gb_code"] == "GB0170"
    assert by_rule["CA104"]["properties"]["status"] == "static"
    assert run["tool"]["driver"]["rules"][by_rule["CA104"]["ruleIndex"]]["id"] == "CA104"
    location = by_rule["CA104"]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "src/model.py" and location["region"]["startLine"] == 6


def test_sarif_fingerprints_survive_unrelated_edits(run_cli, project):
    first = json.loads(run_cli("scan", "src", "--output-format", "sarif", cwd=project)[1])
    path = project / "src" / "model.py"
    path.write_text("# a new header comment\n\n" + BREAKS)
    second = json.loads(run_cli("scan", "src", "--output-format", "sarif", cwd=project)[1])
    prints = lambda doc: sorted(r["partialFingerprints"]["compileAudit/v1"] for r in doc["runs"][0]["results"])  # noqa: E731
    assert prints(first) == prints(second)


def test_github_annotations_escape_and_summary(run_cli, project, monkeypatch):
    summary = project / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    lines = [f"    print({i})" for i in range(12)]
    source = "import torch\n\nclass Net(torch.nn.Module):\n    def forward(self, x):\n" + "\n".join(lines) + "\n        return x\n"
    (project / "src" / "many.py").write_text(source.replace("    print", "        print"))
    code, out, _ = run_cli("scan", "src", "--output-format", "github", cwd=project)
    assert code == 1
    annotations = [line for line in out.splitlines() if line.startswith("::")]
    assert len(annotations) == 15
    first = annotations[0]
    assert first.startswith("::error file=src/many.py,line=5,col=9,endLine=5,endColumn=17,title=CA105 print-in-compiled::")
    assert "title=CA105 print-in-compiled::" in first
    last_line = out.strip().splitlines()[-1]
    assert last_line.startswith("compile-audit: 15 findings") and "more are in the job summary" in last_line
    table = summary.read_text()
    assert table.count("| error | CA105 |") == 13 and "src/model.py:6:12" in table


def test_github_escaping():
    from compile_audit.report.github import escape_data, escape_property

    assert escape_data("50%\r\nnext") == "50%25%0D%0Anext"
    assert escape_property("a:b,c") == "a%3Ab%2Cc"


def test_junit_is_well_formed(run_cli, project):
    out = run_cli("scan", "src", "--output-format", "junit", cwd=project)[1]
    root = ET.fromstring(out.split("\n", 1)[1])
    assert root.tag == "testsuites" and root.get("failures") == "3"
    cases = root.findall("testsuite/testcase")
    assert {c.find("failure").get("type") for c in cases} == {"CA102", "CA104", "CA105"}
    clean = run_cli("scan", "src", "--output-format", "junit", "--select", "CA2", cwd=project)[1]
    assert ET.fromstring(clean.split("\n", 1)[1]).get("failures") == "0"


def test_baseline_reports_only_new_findings(run_cli, project):
    code, _, err = run_cli("scan", "src", "--write-baseline", "baseline.json", cwd=project)
    assert code == 0 and "recorded 3 findings in baseline.json" in err
    assert run_cli("scan", "src", "--baseline", "baseline.json", cwd=project)[0] == 0
    path = project / "src" / "model.py"
    # unrelated edits above move every finding: still known
    path.write_text("import os\n\n\n" + BREAKS)
    code, out, err = run_cli("scan", "src", "--baseline", "baseline.json", cwd=project)
    assert code == 0, out
    assert "3 findings in the baseline baseline.json not shown" in err
    # a new break is reported, the old ones are not
    path.write_text("import os\n\n\n" + BREAKS.replace("return x.sum().item()", "print(x)\n        return x.sum().item()"))
    code, out, _ = run_cli("scan", "src", "--baseline", "baseline.json", "--output-format", "json", cwd=project)
    found = json.loads(out)["findings"]
    assert code == 1 and [(f["code"], f["line"]) for f in found] == [("CA105", 11)]


def test_bad_baseline_exits_2(run_cli, project):
    (project / "baseline.json").write_text("{not json")
    code, _, err = run_cli("scan", "src", "--baseline", "baseline.json", cwd=project)
    assert code == 2 and "not valid JSON" in err


def test_cache_is_used_and_keyed_by_content(run_cli, project, monkeypatch):
    from compile_audit.lint import engine

    first = run_cli("scan", "src", "--output-format", "json", cwd=project)[1]
    folder = project / ".compile_audit_cache"
    assert (folder / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (folder / ".gitignore").read_text().strip().endswith("*")
    calls = []
    real = engine.lint_source
    monkeypatch.setattr(engine, "lint_source", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    assert run_cli("scan", "src", "--output-format", "json", cwd=project)[1] == first
    assert calls == []  # every file came from the cache
    os.utime(project / "src" / "model.py", (0, 0))  # a CI checkout resets mtimes: still a hit
    run_cli("scan", "src", cwd=project)
    assert calls == []
    (project / "src" / "model.py").write_text(BREAKS + "\n")
    run_cli("scan", "src", cwd=project)
    assert calls == ["src/model.py"]
    run_cli("scan", "src", "--select", "CA104", cwd=project)  # another rule set: a miss
    assert calls == ["src/model.py", "src/model.py"]
    run_cli("scan", "src", "--no-cache", cwd=project)
    assert len(calls) == 3


def test_parallel_scan_gives_the_same_ordered_output(run_cli, project):
    for i in range(20):
        (project / "src" / f"m{i:02d}.py").write_text(BREAKS)
    serial = run_cli("scan", "src", "--jobs", "1", "--no-cache", "--output-format", "json", cwd=project)[1]
    parallel = run_cli("scan", "src", "--jobs", "2", "--no-cache", "--output-format", "json", cwd=project)[1]
    assert serial == parallel
    paths = [f["path"] for f in json.loads(parallel)["findings"]]
    assert paths == sorted(paths)


def test_show_settings_and_config_command(run_cli, project):
    (project / "pyproject.toml").write_text('[tool.compile-audit]\nignore = ["CA102"]\ntimeout = 30\n')
    code, out, _ = run_cli("config", cwd=project)
    settings = json.loads(out)
    assert code == 0 and settings["ignore"] == ["CA102"] and settings["timeout"] == 30.0
    code, out, _ = run_cli("scan", "--show-settings", "--select", "CA1", cwd=project)
    assert json.loads(out)["select"] == ["CA1"]


def test_config_found_upward_with_severity_and_per_file_ignores(run_cli, project):
    (project / "pyproject.toml").write_text(
        '[tool.compile-audit]\nseverity = { CA102 = "error" }\n[tool.compile-audit.per-file-ignores]\n"src/model.py" = ["CA105"]\n'
    )
    out = run_cli("scan", ".", "--output-format", "json", cwd=project / "src")[1]
    found = {f["code"]: f for f in json.loads(out)["findings"]}
    assert set(found) == {"CA102", "CA104"} and found["CA102"]["severity"] == "error"
