"""Issue 28, item 3, without torch: a break's verdict goes to the expression its instruction
overlaps; a refutation needs the flagged expression evaluated; a break known only by its line,
on a line several findings share, is said to be undecidable rather than confirming them all.
The outcomes are built by hand (what a worker sends); tests/test_proof_match.py does the same
with real Dynamo."""

from pathlib import Path

from compile_audit.core.findings import Finding, Span
from compile_audit.dynamic.pool import TargetResult
from compile_audit.dynamic.protocol import BreakRecord, Frame, Outcome, Verdict
from compile_audit.dynamic.reconcile import reconcile
from compile_audit.dynamic.targets import TargetRef

LINE = "    a[a == 0], b[b == 0] = a[a == 0] + e, b[b == 0] + e\n"


def finding(column: int, end: int) -> Finding:
    return Finding("CA111", "boolean-mask-index", "warning", "m.py", Span(2, column, 2, end), "mask")


def result(tmp_path: Path, breaks, evaluated) -> TargetResult:
    ref = TargetRef(tmp_path / "audit_m.py", "audit_fill", 1, "audit_m.py::audit_fill")
    outcome = Outcome(breaks=breaks, strict=Verdict("compiled"), lines={str(tmp_path / "m.py"): [2]},
                      evaluated={str(tmp_path / "m.py"): evaluated})
    return TargetResult(ref, outcome)


def stores_and_reads():
    # the two stores (columns 5 and 16) and the two reads (28 and 43), 1-based, end exclusive
    return [finding(5, 14), finding(16, 25), finding(28, 37), finding(43, 52)]


def test_a_break_confirms_the_expression_its_instruction_overlaps(tmp_path):
    (tmp_path / "m.py").write_text("def fill(a, b, e):\n" + LINE)
    file = str(tmp_path / "m.py")
    breaks = [BreakRecord("Dynamic shape operator", "GB0036", frame=Frame(file, 2, column, "fill", 2, column + 9))
              for column in (28, 43)]
    evaluated = [[2, c, 2, c + 9] for c in (5, 16, 28, 43)]
    judged = reconcile(stores_and_reads(), [result(tmp_path, breaks, evaluated)], tmp_path).findings
    assert [f.status for f in judged] == ["refuted", "refuted", "confirmed", "confirmed"]


def test_an_expression_dynamo_never_evaluated_is_not_refuted(tmp_path):
    (tmp_path / "m.py").write_text("def fill(a, b, e):\n" + LINE)
    evaluated = [[2, 5, 2, 14]]  # only the first store's instructions were traced
    judged = reconcile(stores_and_reads(), [result(tmp_path, [], evaluated)], tmp_path).findings
    assert judged[0].status == "refuted"
    assert {f.status for f in judged[1:]} == {"unreached"}
    assert all("never evaluated" in f.dynamo for f in judged[1:])


def test_a_break_known_only_by_its_line_does_not_pick_among_the_findings_on_it(tmp_path):
    (tmp_path / "m.py").write_text("def fill(a, b, e):\n" + LINE)
    file = str(tmp_path / "m.py")
    breaks = [BreakRecord("Dynamic shape operator", "GB0036", frame=Frame(file, 2, 1, "fill"))]  # no position
    reconciled = reconcile(stores_and_reads(), [result(tmp_path, breaks, [])], tmp_path)
    assert {f.status for f in reconciled.findings} == {"static"}
    assert all("cannot be told apart" in f.dynamo for f in reconciled.findings)
    assert reconciled.extra == []  # the break is accounted for: no CA902
    # alone on its line, the same break confirms the finding
    alone = reconcile([finding(28, 37)], [result(tmp_path, breaks, [])], tmp_path).findings
    assert alone[0].status == "confirmed"
