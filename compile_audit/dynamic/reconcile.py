"""Static findings x what Dynamo did -> statuses, and the breaks no rule predicted.

* ``confirmed``: a target traced the finding's line and Dynamo broke there, with a graph-break
  code the rule expects (or with no code, as data-dependent ``UserError``s have), in either
  mode: ``fullgraph=True`` or the default;
* ``refuted``: a target traced the line and Dynamo did not break there;
* ``unreached``: no target traced the line;
* ``dynamic``: a break (CA902) or a target failure (CA903) that no finding accounts for.

A finding in a helper that a target calls is matched at the helper's line, because breaks are
attributed to the innermost frame in the user's files.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from compile_audit import discovery
from compile_audit.dynamic.pool import TargetResult
from compile_audit.findings import Finding, Span
from compile_audit.registry import rule_by_code

UNPREDICTED = "CA902"
TARGET_FAILED = "CA903"
UNPREDICTED_RECOMPILE = "CA904"


@dataclass
class Recompile:
    """A target that Dynamo compiled again on its second call."""

    target: str
    count: int
    #: (path, line, reason) for each guard failure Dynamo located in the user's files
    located: list = field(default_factory=list)
    reasons: list = field(default_factory=list)
    traced: set = field(default_factory=set)
    claimed: bool = False


@dataclass
class Break:
    path: str
    line: int
    column: int
    gb_code: Optional[str]
    gb_type: str
    explanation: str
    target: str
    modes: set = field(default_factory=set)
    #: the fullgraph=True verdict of the target that hit it: "compiled", "break", ...
    strict: str = "compiled"
    library_frame: Optional[dict] = None
    claimed: bool = False


def _describe_modes(item: "Break") -> str:
    modes = item.modes
    if modes == {"default", "fullgraph"}:
        return "in both modes"
    if modes == {"default"}:
        if item.strict == "compiled":
            return "in default mode only (fullgraph=True captures it)"
        return "in default mode (fullgraph=True stopped at an earlier break)"
    return "under fullgraph=True only"


def _collect(results: Sequence[TargetResult], cwd: Path):
    breaks: dict[tuple[str, int, Optional[str]], Break] = {}
    covered: dict[tuple[str, int], str] = {}

    def rel(file: str) -> str:
        return discovery.display_path(Path(file), cwd)

    def add(frame: dict, item: dict, mode: str, target: str, strict: str) -> None:
        key = (rel(frame["file"]), frame["line"], item.get("gb_code") or item.get("gb_type"))
        if key not in breaks:
            breaks[key] = Break(
                key[0], frame["line"], frame.get("column") or 1, item.get("gb_code"), item.get("gb_type") or "",
                item.get("explanation") or "", target, library_frame=item.get("library_frame"), strict=strict,
            )
        breaks[key].modes.add(mode)

    failures = []
    recompiles: list[Recompile] = []
    probed: dict[str, set] = {}
    for result in results:
        data = result.data
        target = result.ref.display
        if data.get("error"):
            failures.append(result)
            continue
        if data.get("flood"):
            failures.append(result)
        traced = set()
        for file, lines in (data.get("lines") or {}).items():
            for line in lines:
                covered.setdefault((rel(file), line), target)
                traced.add((rel(file), line))
        if data.get("recompiles") is not None:
            probed[target] = traced
            info = data["recompiles"]
            if info["count"]:
                event = Recompile(target, info["count"], traced=traced)
                for reason in info.get("reasons") or []:
                    event.reasons.append(reason["reason"])
                    if reason.get("frame"):
                        event.located.append((rel(reason["frame"]["file"]), reason["frame"]["line"], reason["reason"]))
                recompiles.append(event)
        verdict = data.get("fullgraph") or {}
        strict = verdict.get("status", "compiled")
        failing = bool(data.get("eager_error"))
        for item in data.get("breaks") or []:
            if failing and item.get("gb_code") == "GB0088":
                continue  # "Observed exception": the target's own error, reported as CA903
            frame = item.get("frame") or {"file": str(result.ref.file), "line": result.ref.line}
            add(frame, item, "default", target, strict)
        if strict == "break":
            frame = verdict.get("frame") or {"file": str(result.ref.file), "line": result.ref.line}
            add(frame, verdict, "fullgraph", target, strict)
        elif failing or strict in ("error", "backend-error", "recompile-limit"):
            failures.append(result)
    return breaks, covered, failures, recompiles, probed


def _compatible(finding: Finding, item: Break) -> bool:
    rule = rule_by_code(finding.code)
    expected = rule.gb_codes if rule is not None else ()
    return not expected or item.gb_code is None or item.gb_code in expected


def reconcile(findings: list[Finding], results: Sequence[TargetResult], cwd: Path) -> list[Finding]:
    """Set each finding's status in place and return the dynamic findings to add."""
    breaks, covered, failures, recompiles, probed = _collect(results, cwd)
    by_line: dict[tuple[str, int], list[Break]] = defaultdict(list)
    for item in breaks.values():
        by_line[(item.path, item.line)].append(item)

    for finding in findings:
        if finding.code.startswith("CA9"):
            continue
        lines = range(finding.span.line, finding.span.end_line + 1)
        if finding.code.startswith("CA3"):
            _recompile_verdict(finding, lines, recompiles, probed)
            continue
        rule = rule_by_code(finding.code)
        if rule is not None and rule.proof == "eager" and _eager_verdict(finding, lines, failures, cwd):
            continue
        matches = [b for n in lines for b in by_line.get((finding.path, n), []) if _compatible(finding, b)]
        if matches:
            best = max(matches, key=lambda b: len(b.modes))
            for item in matches:
                item.claimed = True
            finding.status = "confirmed"
            finding.gb_code = best.gb_code or finding.gb_code
            finding.target = best.target
            finding.details["dynamo"] = f"Dynamo broke here {_describe_modes(best)}: {best.gb_type}"
            continue
        traced_by = next((covered[(finding.path, n)] for n in lines if (finding.path, n) in covered), None)
        if traced_by is not None:
            finding.status = "refuted"
            finding.target = traced_by
            if rule is not None and rule.proof == "none":
                finding.details["dynamo"] = (
                    "traced without a graph break, as this rule expects: it flags dead code or wasted work, not a break"
                )
            else:
                finding.details["dynamo"] = "traced without a graph break on this torch"
        else:
            finding.status = "unreached"
            finding.details["dynamo"] = "no audit target traced this line"

    extra = []
    rule = rule_by_code(UNPREDICTED)
    for item in breaks.values():
        if item.claimed:
            continue
        where = ""
        if item.library_frame:
            lib = item.library_frame
            where = f" (inside {Path(lib['file']).name}:{lib['line']} {lib.get('function', '')})"
        message = (
            f"Dynamo breaks the graph here {_describe_modes(item)}: {item.gb_type}"
            f"{' (' + item.gb_code + ')' if item.gb_code else ''}{where}; no rule predicted it"
        )
        if item.explanation:
            message += f". {item.explanation}"
        extra.append(
            Finding(
                code=UNPREDICTED, name=rule.name if rule else "unpredicted-graph-break",
                severity=rule.severity if rule else "error", path=item.path,
                span=Span(item.line, item.column, item.line, item.column + 1), message=message,
                status="dynamic", gb_code=item.gb_code, target=item.target,
            )
        )
    recompile_rule = rule_by_code(UNPREDICTED_RECOMPILE)
    for event in recompiles:
        if event.claimed:
            continue
        for path, line, reason in event.located or []:
            extra.append(Finding(
                code=UNPREDICTED_RECOMPILE, name=recompile_rule.name if recompile_rule else "unpredicted-recompile",
                severity=recompile_rule.severity if recompile_rule else "warning", path=path,
                span=Span(line, 1, line, 2),
                message=f"Dynamo recompiled on the target's second call; guard that failed: {reason}; no rule predicted it",
                status="dynamic", target=event.target,
            ))
    failed_rule = rule_by_code(TARGET_FAILED)
    for result in failures:
        if not result.data.get("claimed"):
            extra.append(_failure_finding(result, cwd, failed_rule))
    return extra


def _eager_verdict(finding: Finding, lines: range, failures: list, cwd: Path) -> bool:
    """A rule whose pattern fails even without torch.compile (FlexAttention mods): confirmed by a
    target that fails eagerly after Dynamo traced the finding's line."""
    here = {n for n in lines}
    for result in failures:
        error = result.data.get("eager_error")
        if not error:
            continue
        traced = {
            line for file, numbers in (result.data.get("lines") or {}).items()
            if discovery.display_path(Path(file), cwd) == finding.path for line in numbers
        }
        frame = error.get("frame") or {}
        if frame.get("file") and discovery.display_path(Path(frame["file"]), cwd) == finding.path:
            traced.add(frame["line"])
        if here & traced:
            result.data["claimed"] = True
            finding.status = "confirmed"
            finding.target = result.ref.display
            finding.details["dynamo"] = (
                f"the target fails even without torch.compile: {error['exception']}: {error['message']}"
            )
            return True
    return False


def _recompile_verdict(finding: Finding, lines: range, recompiles: list, probed: dict) -> None:
    here = {(finding.path, n) for n in lines}
    for event in recompiles:
        located = [r for r in event.located if (r[0], r[1]) in here]
        if located or (not event.located and here & event.traced):
            event.claimed = True
            finding.status = "confirmed"
            finding.target = event.target
            why = located[0][2] if located else "; ".join(event.reasons) or "a new object identity or value"
            finding.details["dynamo"] = f"Dynamo recompiled on the second call ({event.count} new frame{'' if event.count == 1 else 's'}): {why}"
            return
    for target, traced in probed.items():
        if here & traced:
            finding.status = "refuted"
            finding.target = target
            finding.details["dynamo"] = "called twice without a recompile on this torch"
            return
    finding.status = "unreached"
    finding.details["dynamo"] = "no audit target traced this line and called it twice (Target.recompile_args)"


def _failure_finding(result: TargetResult, cwd: Path, rule) -> Finding:
    data = result.data
    ref = result.ref
    frame = None
    if data.get("error"):
        error = data["error"]
        message = f"{ref.function}: {error['kind']} error: {error['message']}"
        frame = error.get("frame")
    elif data.get("flood"):
        flood = data["flood"]
        message = (f"{ref.function} flooded its output: {flood['dropped']} bytes beyond the first "
                   f"{flood['kept']} were dropped (the target's output is never mixed into the report)")
    elif data.get("eager_error"):
        error = data["eager_error"]
        message = (f"{ref.function} fails even without torch.compile: {error['exception']}: {error['message']}")
        frame = error.get("frame")
    else:
        verdict = data.get("fullgraph") or {}
        message = f"{ref.function}: torch.compile failed ({verdict.get('status')}): {verdict.get('exception')}: {verdict.get('message')}"
        frame = verdict.get("frame")
    path = discovery.display_path(Path(frame["file"]), cwd) if frame else ref.display_file
    line = frame["line"] if frame else ref.line
    return Finding(
        code=TARGET_FAILED, name=rule.name if rule else "target-failed", severity=rule.severity if rule else "error",
        path=path, span=Span(line, 1, line, 2), message=message, status="dynamic", target=ref.display,
    )
