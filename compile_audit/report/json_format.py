"""``--output-format json``: schema version 1 of DESIGN.md."""

from __future__ import annotations

import json
from collections import Counter
from typing import Optional, TextIO

from compile_audit import __version__
from compile_audit.core.findings import STATUSES, Finding

SCHEMA_VERSION = 1


def finding_to_dict(finding: Finding) -> dict:
    return {
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity,
        "path": finding.path,
        "line": finding.span.line,
        "column": finding.span.column,
        "end_line": finding.span.end_line,
        "end_column": finding.span.end_column,
        "message": finding.message,
        "status": finding.status,
        "gb_code": finding.gb_code,
        "target": finding.target,
        "dynamo": finding.dynamo,
        "fix": None if finding.fix is None else {"available": True, "safe": finding.fix.safe},
        # what it costs: rank 1 costs most (predicted, or measured by --confirm)
        "impact": None if finding.impact is None else {
            "rank": finding.impact.rank, "why": finding.impact.why, "measured": finding.impact.measured,
            "targets": finding.impact.targets, "weight": finding.impact.weight},
    }


def ran_or_installed(result) -> Optional[str]:
    """Top-level ``torch``: the release the audit targets ran on (after ``--confirm``/``verify``),
    else the installed one, else null; the release the static findings are for, and whether it
    was assumed, is ``target_torch``."""
    if getattr(result, "dynamic", False):
        return result.torch_version
    from compile_audit.core.torch_release import installed

    return installed()


def to_document(result) -> dict:
    by_status = Counter(f.status for f in result.findings)
    document = {
        "schema": SCHEMA_VERSION,
        "tool": {"name": "compile-audit", "version": __version__},
        "torch": ran_or_installed(result),
        "findings": [finding_to_dict(f) for f in result.findings],
        "errors": [{"path": e.path, "message": e.message} for e in result.errors],
        "summary": {
            "files": result.files,
            "findings": len(result.findings),
            "by_status": {status: by_status.get(status, 0) for status in STATUSES},
        },
    }
    release = getattr(result, "release", None)
    if release is not None:
        # the release the static verdicts are for, and where it came from (--target-torch, the
        # configuration, the installed torch, the project's pin, or assumed)
        document["target_torch"] = {"version": release.version, "source": release.source, "proven": release.proven}
    if getattr(result, "dynamic", False):
        # present only after --confirm / verify: one entry per audit target
        document["targets"] = [target_to_dict(t) for t in result.targets]
    if getattr(result, "expected", None) is not None:
        # --expected: the targets that compile to more (failed) or fewer (improved) than recorded
        document["expected"] = result.expected
    return document


def _frame(frame) -> Optional[dict]:
    return None if frame is None else {"file": frame.file, "line": frame.line, "column": frame.column,
                                       "function": frame.function}


def _break(record) -> dict:
    return {"gb_code": record.gb_code, "gb_type": record.gb_type, "explanation": record.explanation,
            "frame": _frame(record.frame), "frame_inferred": record.frame_inferred,
            "library_frame": _frame(record.library_frame), "inside": record.inside}


def _failure(failure) -> Optional[dict]:
    if failure is None:
        return None
    return {"kind": failure.kind, "exception": failure.exception, "message": failure.message,
            "frame": _frame(failure.frame), "graph_break": _break(failure.brk) if failure.brk else None}


def target_to_dict(target) -> dict:
    """One audit target's result in the report: a view of the worker's typed ``Outcome``."""
    outcome = target.outcome
    strict = outcome.strict
    record = strict.brk
    recompiles = outcome.recompiles
    metrics = outcome.metrics
    return {
        "target": target.ref.display,
        "failed": outcome.failure(),
        "error": _failure(outcome.error),
        "eager_error": _failure(outcome.eager_error),
        "fullgraph": {
            "status": strict.status,
            "gb_code": record.gb_code if record else None,
            "gb_type": record.gb_type if record else None,
            "inside": record.inside if record else None,
            "exception": strict.exception,
            "message": strict.message,
            "frame": _frame(strict.frame),
            "frame_inferred": bool(record and record.frame_inferred),
        },
        "survey_skipped": outcome.survey_skipped or None,
        "breaks": [_break(b) for b in outcome.breaks],
        "recompiles": None if recompiles is None else {
            "count": recompiles.count,
            "reasons": [{"reason": r.reason, "frame": _frame(r.frame)} for r in recompiles.reasons],
        },
        # what the compiled call made of the target (null when it did not run compiled)
        "graphs": metrics.graphs if metrics else None,
        "graph_ops": list(metrics.graph_ops) if metrics else None,
        "frames_skipped": [{"function": f.function, "file": f.file, "line": f.line}
                           for f in metrics.frames_skipped] if metrics else None,
        "ops_in_graphs": metrics.ops_in_graphs() if metrics else None,
        "lines_traced": outcome.lines_traced(),
        "ran_untraced": [
            {"file": h.file, "line": h.line, "hidden_by": _break(h.hidden_by) if h.hidden_by else None,
             "reprobe": h.probe or None, "reprobe_breaks": [_break(b) for b in h.probe_breaks],
             "message": h.message or None}
            for h in outcome.hidden
        ],
        "seconds": round(outcome.seconds, 3),
        "timings": {k: round(v, 3) for k, v in outcome.timings.items()},
    }


def rule_statistics(findings) -> list[dict]:
    """Findings per rule, most frequent first (``--statistics``), with how many ``--fix`` fixes."""
    counts = Counter((f.code, f.name) for f in findings)
    fixable = Counter(f.code for f in findings if f.fix is not None and f.fix.safe)
    return [{"code": code, "name": name, "count": count, "fixable": fixable.get(code, 0)}
            for (code, name), count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def render(result, stream: TextIO, statistics: bool = False, **options) -> None:
    document = to_document(result)
    if statistics:
        document["statistics"] = rule_statistics(result.findings)
    json.dump(document, stream, indent=2)
    stream.write("\n")
