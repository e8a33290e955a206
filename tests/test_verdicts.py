"""Verdicts that outlive the run: --save-verdicts, then a static-only run that reads them."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT


def run(*argv, cwd):
    proc = subprocess.run([sys.executable, "-m", "compile_audit", *map(str, argv)], cwd=cwd, capture_output=True,
                          text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return proc.returncode, proc.stdout, proc.stderr


@pytest.mark.dynamic
def test_verdicts_round_trip_through_a_static_only_run(tmp_path):
    pytest.importorskip("torch")
    project = tmp_path / "flex_block"
    shutil.copytree(FIXTURES / "flex_block", project)
    code, out, err = run("scan", ".", "--confirm", "--save-verdicts", "--output-format", "json", cwd=project)
    confirmed = {(f["code"], f["line"]): f["status"] for f in json.loads(out)["findings"]}
    assert "kept" in err and (project / "compile-audit.verdicts.json").exists(), err
    stored = json.loads((project / "compile-audit.verdicts.json").read_text())
    assert stored["torch"] and stored["backend"] == "eager"
    assert {v["status"] for v in stored["verdicts"]} == {"refuted"}

    # a static-only run (no --confirm) takes the stored statuses: refuted findings pass the gate
    code, out, err = run("scan", ".", "--output-format", "json", cwd=project)
    static = {(f["code"], f["line"]): f["status"] for f in json.loads(out)["findings"]}
    assert static == confirmed and code == 0, (static, err)
    code, sarif, _ = run("scan", ".", "--output-format", "sarif", cwd=project)
    statuses = {r["properties"]["status"] for r in json.loads(sarif)["runs"][0]["results"]}
    assert statuses == {"refuted"}
    code, text, _ = run("scan", ".", "--no-source", cwd=project)
    assert "a stored verdict (compile-audit.verdicts.json)" in text and "on torch" in text

    # the flagged code changes: that finding loses its verdict and fails the gate again
    source = (project / "blueprint_before.py").read_text()
    changed = source.replace("if isinstance(attn_out, tuple):", "if isinstance(attn_out, (tuple, list)):")
    assert changed != source
    (project / "blueprint_before.py").write_text(changed)
    code, out, err = run("scan", ".", "--show-verdicts", "--output-format", "json", cwd=project)
    after = {f["code"]: f["status"] for f in json.loads(out)["findings"]}
    assert after["CA101"] == "static" and after["CA207"] == "refuted" and code == 1
    assert "1 stored verdict no longer match" in err and "stale: blueprint_before.py: CA101" in err
    # and --no-verdicts reads none
    code, out, _ = run("scan", ".", "--no-verdicts", "--output-format", "json", cwd=project)
    assert {f["status"] for f in json.loads(out)["findings"]} == {"static"}


def test_verdict_file_errors_exit_2(tmp_path):
    (tmp_path / "model.py").write_text("import torch\n\n@torch.compile\ndef f(x):\n    print(x)\n    return x\n")
    code, _, err = run("scan", ".", "--save-verdicts", cwd=tmp_path)
    assert code == 2 and "--save-verdicts keeps what --confirm finds" in err
    code, _, err = run("scan", ".", "--verdicts", "missing.json", cwd=tmp_path)
    assert code == 2 and "no such verdict file" in err
    (tmp_path / "compile-audit.verdicts.json").write_text("{not json")
    code, _, err = run("scan", ".", cwd=tmp_path)
    assert code == 2 and "is not valid JSON" in err
    (tmp_path / "compile-audit.verdicts.json").write_text(json.dumps({"version": 1, "verdicts": [{"status": "x"}]}))
    code, _, err = run("scan", ".", cwd=tmp_path)
    assert code == 2 and "is not a verdict" in err


def test_configured_verdict_file_is_read(tmp_path):
    """``verdicts = "..."`` in [tool.compile-audit] names the file; a stored confirmed verdict
    shows as confirmed (the file is written by hand here: its format is the contract)."""
    from compile_audit.core.baseline import fingerprints
    from compile_audit.core.findings import Finding, Span

    (tmp_path / "pyproject.toml").write_text('[tool.compile-audit]\nverdicts = "proof/verdicts.json"\n')
    (tmp_path / "model.py").write_text("import torch\n\n@torch.compile\ndef f(x):\n    print(x)\n    return x\n")
    finding = Finding("CA105", "print", "error", "model.py", Span(5, 5, 5, 13), "")
    (fingerprint,) = fingerprints([finding], {"model.py": {5: "    print(x)"}})
    (tmp_path / "proof").mkdir()
    (tmp_path / "proof" / "verdicts.json").write_text(json.dumps({
        "version": 1, "tool": "compile-audit", "torch": "2.13.0", "backend": "eager", "device": "cpu",
        "verdicts": [{"code": "CA105", "path": "model.py", "fingerprint": fingerprint, "status": "confirmed",
                      "gb_code": "GB0059", "target": "audit_model.py::audit_f", "dynamo": "Dynamo broke here"}],
    }))
    code, out, _ = run("scan", ".", "--output-format", "json", cwd=tmp_path)
    (found,) = json.loads(out)["findings"]
    assert (found["status"], found["target"], code) == ("confirmed", "audit_model.py::audit_f", 1)
