"""Issue 30: the gate on graph counts (``--write-expected`` / ``--expected``)."""

import json
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.dynamic
pytest.importorskip("torch")

MODEL = """
import torch


class Block(torch.nn.Module):
    def forward(self, x):
        x = x + 1
        {first}
        x = x * 2
        {second}
        return x - 1
"""
AUDIT = """
import torch
import model


def audit_block():
    return model.Block(), (torch.ones(3),)
"""


def project(tmp_path, first="pass", second="pass"):
    (tmp_path / "model.py").write_text(textwrap.dedent(MODEL.format(first=first, second=second)))
    (tmp_path / "audit_model.py").write_text(textwrap.dedent(AUDIT))
    return tmp_path


def scan(cwd, *args):
    proc = subprocess.run([sys.executable, "-m", "compile_audit", "scan", ".", "--confirm", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=600)
    return proc.returncode, proc.stdout, proc.stderr


def test_an_added_break_fails_the_gate_and_a_removed_one_is_improved(tmp_path):
    root = project(tmp_path, first='print("one")')
    code, _, err = scan(root, "--write-expected", "expected.json")
    assert code == 0, err
    recorded = json.loads((root / "expected.json").read_text())
    assert recorded["targets"] == [{"target": "audit_model.py::audit_block", "graphs": 2, "breaks": 1,
                                    "recompiles": 0}]

    # unchanged: the gate passes (the run still fails on its finding, as without the gate)
    code, _, err = scan(root, "--expected", "expected.json", "--exit-zero")
    assert code == 0 and "PASS" in err, err

    # a second break: more graphs and breaks than recorded fails, naming the target and the numbers
    project(tmp_path, first='print("one")', second='print("two")')
    code, out, err = scan(root, "--expected", "expected.json", "--exit-zero", "--output-format", "json")
    assert code == 1, err
    assert "FAIL audit_model.py::audit_block: graphs 2 -> 3 (+1), breaks 1 -> 2 (+1)" in err
    gate = json.loads(out)["expected"]
    assert gate["failed"] == [{"target": "audit_model.py::audit_block", "graphs": {"expected": 2, "now": 3},
                               "breaks": {"expected": 1, "now": 2}}]

    # no break at all: IMPROVED, and how to refresh the file; the run passes
    project(tmp_path)
    code, _, err = scan(root, "--expected", "expected.json")
    assert code == 0, err
    assert "IMPROVED audit_model.py::audit_block: graphs 2 -> 1 (-1), breaks 1 -> 0 (-1)" in err
    assert "--write-expected expected.json" in err


def test_the_gate_needs_confirm_and_a_readable_file(tmp_path):
    root = project(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "compile_audit", "scan", "model.py", "--expected", "x.json"],
                          cwd=root, capture_output=True, text=True)
    assert proc.returncode == 2 and "add --confirm" in proc.stderr
    (root / "x.json").write_text("{}")
    code, _, err = scan(root, "--expected", "x.json")
    assert code == 2 and "is not a compile-audit expected-metrics file" in err
