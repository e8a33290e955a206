"""Issue 30: what each finding costs (``impact``) and what the compiled call made of each target
(graphs, ops per graph, frames Dynamo ran eagerly, the share of ops inside graphs)."""

import json
import subprocess
import sys
import textwrap

import pytest

from compile_audit.lint.engine import lint_source
from compile_audit.lint.registry import all_rules
from compile_audit.core.findings import rank_findings
from conftest import FIXTURES, ROOT

RULES = all_rules()

MODULE = """
import torch


class Decoder(torch.nn.Module):
    def forward(self, x):
        for _ in range(3):
            x = x * 2
            if x.sum() > 0:
                x = x - 1
        return x


class Middle(torch.nn.Module):
    def forward(self, x):
        x = x + 1
        x = x * 2
        n = int(x.sum())
        x = x - n
        x = x / 2
        return x


class Summary(torch.nn.Module):
    def forward(self, x):
        y = x.softmax(-1)
        z = y * 3
        print("summary", z.shape)
        return z


class Rows(torch.nn.Module):
    def forward(self, x):
        return [r for r in x if r.sum() > 0]
"""


def impacts(python=None):
    findings = rank_findings(lint_source(textwrap.dedent(MODULE).lstrip(), "m.py", RULES, python=python).findings)
    return {(f.code, f.span.line): f.impact for f in findings}


def test_a_break_in_a_loop_costs_most_and_one_at_a_functions_end_least():
    found = impacts()
    loop, middle, end = found[("CA104", 8)], found[("CA106", 17)], found[("CA105", 27)]
    assert loop.rank == 1
    assert "inside a loop" in loop.why and "`forward` runs eagerly" in loop.why
    assert loop.rank < middle.rank < end.rank
    assert "splits the graph in two (2 statements before it, 3 after)" in middle.why
    assert "at the end of `forward`" in end.why


def test_a_comprehension_costs_the_whole_frame_only_where_it_runs_in_it():
    # from Python 3.12 comprehensions are inlined into their function's frame (PEP 709)
    assert "runs eagerly" in impacts(python=(3, 12))[("CA104", 33)].why
    assert "the comprehension's frame, which runs eagerly" in impacts(python=(3, 10))[("CA104", 33)].why


def test_json_carries_the_rank(tmp_path):
    (tmp_path / "m.py").write_text(textwrap.dedent(MODULE).lstrip())
    proc = subprocess.run([sys.executable, "-m", "compile_audit", "scan", "m.py", "--output-format", "json"],
                          cwd=tmp_path, capture_output=True, text=True)
    findings = {(f["code"], f["line"]): f for f in json.loads(proc.stdout)["findings"]}
    assert findings[("CA104", 8)]["impact"] == {"rank": 1, "why": findings[("CA104", 8)]["impact"]["why"],
                                                "measured": False, "targets": 0, "weight": 100}
    text = subprocess.run([sys.executable, "-m", "compile_audit", "scan", "m.py"], cwd=tmp_path,
                          capture_output=True, text=True).stdout
    # within the file, the costliest first
    assert text.index("m.py:8:") < text.index("m.py:17:") < text.index("m.py:27:")
    assert "impact: inside a loop" in text


@pytest.mark.dynamic
def test_the_fixtures_measure_what_each_break_cost():
    pytest.importorskip("torch")
    proc = subprocess.run([sys.executable, "-m", "compile_audit", "scan", "fixtures/everyday", "--confirm",
                           "--output-format", "json"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    document = json.loads(proc.stdout)
    targets = {t["target"].rsplit("::", 1)[1]: t for t in document["targets"]}
    loop, summary = targets["audit_step_decoder"], targets["audit_summary"]
    # the break inside the loop: Dynamo skipped forward's frame, nothing was captured
    assert loop["graphs"] == 0 and loop["graph_ops"] == [] and loop["ops_in_graphs"] == 0.0
    assert [(f["function"], f["file"].endswith("everyday_breaks.py")) for f in loop["frames_skipped"]] == [
        ("forward", True)]
    # the print at the end: one graph holds every op before it
    assert summary["graphs"] == 1 and summary["graph_ops"][0] >= 3 and summary["ops_in_graphs"] == 1.0
    assert summary["frames_skipped"] == []
    lines = (FIXTURES / "everyday" / "everyday_breaks.py").read_text().splitlines()
    by_text = {lines[f["line"] - 1].strip(): f for f in document["findings"] if f["path"].endswith("everyday_breaks.py")}
    in_loop, at_end = by_text["if x.abs().max() > 10:"], by_text['print("summary computed")']
    assert in_loop["status"] == at_end["status"] == "confirmed"
    assert in_loop["impact"]["measured"] and in_loop["impact"]["rank"] == 1
    assert in_loop["impact"]["rank"] < at_end["impact"]["rank"]
    assert "ran it eagerly" in in_loop["impact"]["why"]
    text = subprocess.run([sys.executable, "-m", "compile_audit", "scan", "fixtures/everyday", "--confirm"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600).stdout
    assert "Dynamo skipped the frame of `forward` (a break inside a loop) and ran it eagerly" in text
    assert "graphs: 0, forward ran eagerly" in text
