"""Static findings x what Dynamo did -> statuses, and the breaks no rule predicted.

* ``confirmed``: a target traced the finding's line and Dynamo broke there, with a graph-break
  code the rule expects (or with no code, as data-dependent ``UserError``s have), in either
  mode: ``fullgraph=True`` or the default; or the line ran untraced and its statement,
  re-probed alone with the values it ran with, breaks;
* ``refuted``: a target traced the line (or re-probed it) and Dynamo did not break there;
* ``untraced``: the line ran, but Dynamo did not trace it (it skipped the frame, or ran the
  rest of it eagerly, after an earlier break, which the finding names) and the re-probe gave
  no verdict;
* ``unreached``: no target ran the line;
* ``dynamic``: a break (CA902), a target failure (CA903) or a recompilation (CA904) that no
  finding accounts for.

One break site (file, line) is one report: a finding confirmed by any break at its line
claims every break at that line; an unclaimed site is one CA902, shown with the type and
code of one break record. A finding in a helper that a target calls is matched at the
helper's line, because breaks are attributed to the innermost frame in the user's files.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from compile_audit.core import discovery
from compile_audit.dynamic.pool import TargetResult
from compile_audit.dynamic.protocol import BREAK, COMPILED, BreakRecord, Hidden, Verdict
from compile_audit.core.findings import Finding, Impact
from compile_audit.lint.registry import rule_by_code

#: what Dynamo reports, while tracing a target that fails without torch.compile too, of that same
#: failure: "Observed exception" (GB0088), "Tensor device mismatch" (GB5173)
TARGETS_OWN_ERROR = ("GB0088", "GB5173")
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
class Site:
    """Every break one target hit at one line, each record kept whole (type with its code)."""

    path: str
    line: int
    column: int
    target: str
    #: the target's fullgraph=True verdict, and where its break is in the survey's order
    strict: Verdict
    strict_site: Optional[tuple[str, int]] = None
    #: positions, in the survey's order of breaks, of this site and of the strict pass's break
    order: int = 0
    order_of_strict: int = 0
    records: list[BreakRecord] = field(default_factory=list)
    #: (gb_type, gb_code) -> the modes that record was seen in
    record_modes: dict = field(default_factory=dict)
    modes: set = field(default_factory=set)
    #: the line ran untraced and was re-probed alone (the break that hid it)
    reprobed_after: Optional[BreakRecord] = None
    claimed: bool = False
    #: every target that broke here (identical breaks from many targets are one report)
    targets: set = field(default_factory=set)

    def add(self, record: BreakRecord) -> None:
        self.modes.add(record.mode)
        key = _record_key(record)
        if key not in self.record_modes:
            self.records.append(record)
        self.record_modes.setdefault(key, set()).add(record.mode)

    @property
    def primary(self) -> BreakRecord:
        """The record shown for the site: the first default-mode one, else the strict one."""
        return next((r for r in self.records if r.mode == "default"), self.records[0])


def _record_key(record: BreakRecord) -> tuple:
    """One break of a site: its type and code, and where on the line its expression starts (two
    breaks on one line are two records; the same break seen in both modes is one)."""
    frame = record.frame
    return record.gb_type, record.gb_code, frame.column if frame is not None and frame.positioned else None


def _where(record: Optional[BreakRecord], cwd: Path) -> str:
    if record is None or record.frame is None:
        return ""
    return f"{discovery.display_path(Path(record.frame.file), cwd)}:{record.frame.line}"


def describe_modes(site: Site, cwd: Path) -> str:
    """In which modes Dynamo broke at the site; about ``fullgraph=True`` only what it did."""
    if site.reprobed_after is not None:
        return (f"when its statement is compiled alone (the line ran untraced after the break at "
                f"{_where(site.reprobed_after, cwd)})")
    modes = site.modes
    if modes == {"default", "fullgraph"}:
        return "in both modes"
    if modes == {"fullgraph"}:
        return "under fullgraph=True only"
    strict = site.strict
    if strict.status == COMPILED:
        return "in default mode only (fullgraph=True captures it)"
    if strict.status == BREAK and site.strict_site is not None:
        where = f"{discovery.display_path(Path(site.strict_site[0]), cwd)}:{site.strict_site[1]}"
        relation = "an earlier" if site.order_of_strict < site.order else "a later"
        return f"in default mode (fullgraph=True stopped at {relation} break, at {where})"
    if strict.status == BREAK:
        return "in default mode (fullgraph=True stopped at another break, outside the project's files)"
    return f"in default mode (fullgraph=True {strict.status}: {strict.exception or ''} {strict.message})".rstrip()


def describe_records(site: Site, best: Optional[BreakRecord] = None) -> str:
    """What broke at the site: each record's type with its own code; per mode when the two
    modes broke differently (``.item()`` in default mode, a data-dependent guard under
    ``fullgraph=True``)."""
    shown = best or site.primary
    others = [r for r in site.records if r is not shown and (r.gb_type, r.gb_code) != (shown.gb_type, shown.gb_code)]
    if not others:
        return shown.describe()
    def label(record: BreakRecord) -> str:
        modes = site.record_modes.get(_record_key(record), {record.mode})
        if modes == {"default", "fullgraph"}:
            return "both modes"
        return "fullgraph=True" if modes == {"fullgraph"} else "default mode"

    return "; ".join(f"{label(r)}: {r.describe()}" for r in [shown, *others])


def _collect(results: Sequence[TargetResult], cwd: Path):
    sites: dict[tuple[str, int], Site] = {}
    covered: dict[tuple[str, int], str] = {}
    ran: dict[tuple[str, int], tuple[str, Hidden]] = {}

    def rel(file: str) -> str:
        return discovery.display_path(Path(file), cwd)

    failures: list[TargetResult] = []
    recompiles: list[Recompile] = []
    probed: dict[str, set] = {}
    evaluated: dict[tuple[str, int], list] = {}
    for result in results:
        outcome = result.outcome
        target = result.ref.display
        guessed = result.ref.synthesized is not None  # its input is a guess: its failure is not the code's
        if outcome.error is not None:
            if not guessed:
                failures.append(result)
            continue
        if outcome.failure() is not None:
            if guessed:
                continue
            failures.append(result)
        for file, positions in outcome.evaluated.items():
            for line, column, end_line, end_column in positions:
                evaluated.setdefault((rel(file), line), []).append((line, column, end_line, end_column))
        traced = set()
        for file, lines in outcome.lines.items():
            for line in lines:
                covered.setdefault((rel(file), line), target)
                traced.add((rel(file), line))
        if outcome.recompiles is not None:
            probed[target] = traced
            info = outcome.recompiles
            if info.count:
                event = Recompile(target, info.count, traced=traced)
                for reason in info.reasons:
                    event.reasons.append(reason.reason)
                    if reason.frame is not None:
                        event.located.append((rel(reason.frame.file), reason.frame.line, reason.reason))
                recompiles.append(event)
        strict = outcome.strict
        failing = outcome.eager_error is not None
        order = {}
        for index, record in enumerate(outcome.breaks):
            if record.frame is not None:
                order.setdefault((rel(record.frame.file), record.frame.line), index)
        strict_frame = strict.brk.frame if strict.status == BREAK and strict.brk is not None else None
        same_function = [r.frame for r in outcome.breaks if strict_frame is not None and r.frame is not None
                         and (r.frame.file, r.frame.function) == (strict_frame.file, strict_frame.function)]
        if strict_frame is not None and strict.brk.frame_inferred and same_function:
            # Dynamo gave no frame: the break of this function that the default mode located
            strict_frame = same_function[-1]
        strict_key = (rel(strict_frame.file), strict_frame.line) if strict_frame is not None else None

        def site_for(frame_file: str, line: int, column: int, target=target, strict=strict,
                     strict_key=strict_key, order=order, strict_frame=strict_frame) -> Site:
            key = (rel(frame_file), line)
            if key not in sites:
                sites[key] = Site(key[0], line, column, target, strict,
                                  strict_site=(strict_frame.file, strict_frame.line) if strict_key else None,
                                  order=order.get(key, len(order)),
                                  order_of_strict=order.get(strict_key, len(order)) if strict_key else len(order))
            sites[key].targets.add(target)
            return sites[key]

        for record in outcome.breaks:
            if failing and record.gb_code in TARGETS_OWN_ERROR:
                continue  # the target's own error, reported as CA903
            frame = record.frame
            site = site_for(frame.file, frame.line, frame.column) if frame else site_for(
                str(result.ref.file), result.ref.line, 1)
            site.add(record)
        if strict.status == BREAK and strict.brk is not None and not (failing and strict.brk.gb_code in TARGETS_OWN_ERROR):
            frame = strict_frame
            site = site_for(frame.file, frame.line, frame.column) if frame else site_for(
                str(result.ref.file), result.ref.line, 1)
            site.add(strict.brk)
        for hidden in outcome.hidden:
            key = (rel(hidden.file), hidden.line)
            if key in covered:
                continue
            if hidden.probe == BREAK:
                for record in hidden.probe_breaks:
                    site = site_for(hidden.file, hidden.line, record.frame.column if record.frame else 1)
                    site.reprobed_after = hidden.hidden_by
                    site.add(record)
            elif hidden.probe == COMPILED:
                covered.setdefault(key, target)
                ran.setdefault(key, (target, hidden))
            else:
                ran.setdefault(key, (target, hidden))
    metrics = {result.ref.display: result.outcome.metrics for result in results}
    return Collected(sites, covered, ran, failures, recompiles, probed, evaluated, metrics=metrics)


@dataclass
class Collected:
    """What the targets did, by place: break sites, traced lines (and the expressions Dynamo
    evaluated on watched lines), lines that ran untraced, failures, recompiles."""

    sites: dict
    covered: dict
    ran: dict
    failures: list
    recompiles: list
    probed: dict
    evaluated: dict
    #: (path, line) -> how many findings flag that line
    crowded: Counter = field(default_factory=Counter)
    #: target -> what its compiled call made of it (``Metrics``)
    metrics: dict = field(default_factory=dict)


def _span(finding: Finding) -> tuple[tuple[int, int], tuple[int, int]]:
    return (finding.span.line, finding.span.column), (finding.span.end_line, finding.span.end_column)


def _overlaps(record: BreakRecord, finding: Finding) -> bool:
    """Whether the break's instruction (its expression, from the position tables) overlaps the
    flagged expression; a break known only by its line overlaps everything on it."""
    frame = record.frame
    if frame is None or not frame.positioned:
        return True
    start, end = _span(finding)
    return (frame.line, frame.column) < end and (frame.end_line, frame.end_column) > start


def _evaluated(finding: Finding, collected: "Collected") -> Optional[bool]:
    """Whether Dynamo evaluated the flagged expression itself (an instruction inside its span);
    None when the positions of its lines are not known (the line is then all there is)."""
    start, end = _span(finding)
    known = False
    for line in range(finding.span.line, finding.span.end_line + 1):
        for position in collected.evaluated.get((finding.path, line), ()):
            known = True
            if (position[0], position[1]) >= start and (position[2], position[3]) <= end:
                return True
    return False if known else None


def _compatible(finding: Finding, record: BreakRecord) -> bool:
    rule = finding.rule
    expected = rule.gb_codes if rule is not None else ()
    return not expected or record.gb_code is None or record.gb_code in expected


@dataclass
class Reconciled:
    """The findings with their verdicts (new objects; the input is not changed) and the
    dynamic findings (CA902-CA904) that no static finding accounts for."""

    findings: list[Finding]
    extra: list[Finding]


def reconcile(findings: Sequence[Finding], results: Sequence[TargetResult], cwd: Path,
              rules_ran: bool = True) -> Reconciled:
    """Each finding's verdict, and the dynamic findings to add. ``rules_ran`` is False for
    ``verify``, which runs targets without the static rules: its breaks are not said to be
    unpredicted."""
    collected = _collect(results, cwd)
    sites, failures, recompiles = collected.sites, collected.failures, collected.recompiles
    explained: set[int] = set()  # failures a finding accounts for (by id)
    judged = []
    confirmed: set[tuple] = set()  # (target, path, gb_type) of each break a finding accounts for
    collected.crowded = Counter((f.path, f.span.line) for f in findings)
    for finding in findings:
        verdict = _verdict(finding, results, cwd, collected, explained, confirmed)
        judged.append(finding.with_(**verdict) if verdict else finding)

    extra = []
    unpredicted = rule_by_code(UNPREDICTED)
    for site in sites.values():
        if site.claimed:
            continue
        record = site.primary
        if all(r.frame_inferred for r in site.records) and any(
                (site.target, site.path, r.gb_type) in confirmed for r in site.records):
            continue  # the break a finding was confirmed by, placed again at the line Dynamo last traced
        where = ""
        if record.library_frame:
            lib = record.library_frame
            where = f" (inside {Path(lib.file).name}:{lib.line} {lib.function})".replace(" )", ")")
        inside = f" inside {record.inside}" if record.inside else ""
        message = f"Dynamo breaks the graph here{inside} {describe_modes(site, cwd)}: {describe_records(site)}{where}"
        if rules_ran:
            message += "; no rule predicted it"
        if record.explanation:
            message += f". {record.explanation}"
        extra.append(unpredicted.finding(site.path, site.line, _column(cwd, site), message, status="dynamic",
                                         gb_code=record.gb_code, target=site.target,
                                         impact=measured_impact(site, collected, cwd)))
    recompiled = rule_by_code(UNPREDICTED_RECOMPILE)
    for event in recompiles:
        if event.claimed:
            continue
        for path, line, reason in event.located or []:
            message = f"Dynamo recompiled on the target's second call; guard that failed: {reason}"
            extra.append(recompiled.finding(path, line, 1, message + ("; no rule predicted it" if rules_ran else ""),
                                            status="dynamic", target=event.target))
    for result in failures:
        if id(result) not in explained:
            extra.append(_failure_finding(result, cwd))
    return Reconciled(judged, extra)


def _verdict(finding: Finding, results, cwd: Path, collected: Collected, explained: set, confirmed: set) -> dict:
    """The fields a finding's verdict sets (status, target, what Dynamo did, the break's code);
    empty for a finding the dynamic run does not judge. A break confirms the finding whose
    expression its instruction overlaps; a finding is refuted only when Dynamo evaluated its
    expression (a line that ran while a short-circuit skipped the flagged call refutes nothing)."""
    sites, covered, ran = collected.sites, collected.covered, collected.ran
    rule = finding.rule
    if rule is not None and rule.dynamic_only:
        return {}
    lines = range(finding.span.line, finding.span.end_line + 1)
    if rule is not None and rule.proof == "recompile":
        return _recompile_verdict(finding, lines, collected.recompiles, collected.probed)
    if rule is not None and rule.proof == "eager":
        verdict = _eager_verdict(finding, lines, results, cwd, explained, sites)
        if verdict:
            return verdict
    here = [sites[(finding.path, n)] for n in lines if (finding.path, n) in sites]
    matches = [(site, record) for site in here for record in site.records
               if _compatible(finding, record) and _overlaps(record, finding)]
    if matches:
        site, best = max(matches, key=lambda m: (len(m[0].modes), m[1].mode == "default",
                                                 m[1].frame is not None and m[1].frame.positioned))
        for other, _ in matches:
            other.claimed = True  # one break site, one report
        confirmed.update((s.target, s.path, r.gb_type) for s, r in matches)
        where = f" inside {best.inside}" if best.inside else ""
        if not any(r.frame is not None and r.frame.positioned for _, r in matches) \
                and collected.crowded[(finding.path, site.line)] > 1:
            # Dynamo named the line, not the expression, and several findings share it
            return dict(target=site.target, dynamo=(
                f"Dynamo broke on this line{where} {describe_modes(site, cwd)}: {describe_records(site, best)}, "
                f"at a place it did not name; {collected.crowded[(finding.path, site.line)]} findings share the "
                "line, so which of them broke cannot be told apart (left unjudged)"))
        return dict(status="confirmed", gb_code=best.gb_code, target=site.target,  # shown with best.gb_type
                    dynamo=f"Dynamo broke here{where} {describe_modes(site, cwd)}: {describe_records(site, best)}",
                    impact=measured_impact(site, collected, cwd))
    traced_by = next((covered[(finding.path, n)] for n in lines if (finding.path, n) in covered), None)
    untraced = next((ran[(finding.path, n)] for n in lines if (finding.path, n) in ran), None)
    if traced_by is not None and _evaluated(finding, collected) is False and (untraced is None or untraced[1].probe != COMPILED):
        others = [r.describe() for site in here for r in site.records if _compatible(finding, r)]
        said = ("the line ran under Dynamo, but the flagged expression itself was never evaluated (a short-circuit "
                "or a conditional expression skipped it): no target tells whether it breaks")
        if others:
            said += f"; the break on this line is elsewhere on it ({others[0]})"
        return dict(status="unreached", target=traced_by, dynamo=said)
    if traced_by is not None:
        reprobed = untraced is not None and untraced[1].probe == COMPILED
        if rule is not None and rule.proof == "none":
            said = "traced without a graph break, as this rule expects: it flags dead code or wasted work, not a break"
        elif reprobed:
            said = (f"the line ran untraced after the break at {_where(untraced[1].hidden_by, cwd)}; its statement, "
                    "compiled alone with the values it ran with, traced without a graph break on this torch")
        else:
            said = "traced without a graph break on this torch"
        return dict(status="refuted", target=traced_by, dynamo=said)
    if untraced is not None:
        target, hidden = untraced
        hider = hidden.hidden_by
        cause = (f"after the break at {_where(hider, cwd)} ({hider.describe()})" if hider is not None
                 else "after an earlier break")
        return dict(status="untraced", target=target,
                    dynamo=(f"the line ran, but Dynamo did not trace it: it stopped tracing this frame {cause}; "
                            f"re-probing the line alone gave no verdict ({hidden.message})"))
    return dict(status="unreached", dynamo="no audit target ran this line")


def _column(cwd: Path, site: Site) -> int:
    """The site's column, never past the end of its line (Dynamo may name a position of the
    compiled frame rather than of the source)."""
    import linecache

    text = linecache.getline(str(cwd / site.path), site.line).rstrip("\n")
    return max(1, min(site.column, len(text) + 1)) if text else max(1, site.column)


def _eager_verdict(finding: Finding, lines: range, results: Sequence[TargetResult], cwd: Path, explained: set,
                   sites: dict) -> dict:
    """A rule whose pattern fails even without torch.compile (FlexAttention mods): confirmed by a
    target that fails eagerly after Dynamo traced the finding's line. The target's failure and
    its breaks are that one fault: the finding accounts for them."""
    here = set(lines)
    for result in results:
        error = result.outcome.eager_error
        if error is None:
            continue
        traced = {
            line for file, numbers in result.outcome.lines.items()
            if discovery.display_path(Path(file), cwd) == finding.path for line in numbers
        }
        if error.frame is not None and discovery.display_path(Path(error.frame.file), cwd) == finding.path:
            traced.add(error.frame.line)
        if here & traced:
            explained.add(id(result))
            for site in sites.values():
                if site.target == result.ref.display:
                    site.claimed = True
            cause = f" ({error.brk.describe()})" if error.brk is not None else ""
            return dict(status="confirmed", target=result.ref.display,
                        dynamo=f"the target fails even without torch.compile: {error.exception}: {error.message}{cause}")
    return {}


def _recompile_verdict(finding: Finding, lines: range, recompiles: list, probed: dict) -> dict:
    here = {(finding.path, n) for n in lines}
    for event in recompiles:
        located = [r for r in event.located if (r[0], r[1]) in here]
        if located or (not event.located and here & event.traced):
            event.claimed = True
            why = located[0][2] if located else "; ".join(event.reasons) or "a new object identity or value"
            return dict(status="confirmed", target=event.target,
                        dynamo=(f"Dynamo recompiled on the second call ({event.count} new "
                                f"frame{'' if event.count == 1 else 's'}): {why}"),
                        impact=Impact(90, f"a recompile on the second call (guard that failed: {why}); on every "
                                          "call that changes the value, until the cache limit", measured=True,
                                      targets=1))
    for target, traced in probed.items():
        if here & traced:
            return dict(status="refuted", target=target, dynamo="called twice without a recompile on this torch")
    return dict(status="unreached", dynamo="no audit target ran this line and called it twice (Target.recompile_args)")


def measured_impact(site: Site, collected: Collected, cwd: Path) -> Impact:
    """What a break cost the targets that hit it: a frame Dynamo skipped (the function ran
    eagerly) costs most; else the graphs the target was cut into."""
    path = os.path.abspath(cwd / site.path)
    for target in sorted(site.targets):
        metrics = collected.metrics.get(target)
        if metrics is None:
            continue
        skipped = [f for f in metrics.frames_skipped if os.path.abspath(f.file) == path and f.line <= site.line]
        if skipped:
            frame = max(skipped, key=lambda f: f.line)
            return Impact(100, f"Dynamo skipped the frame of `{frame.function}` (a break inside a loop) and ran it "
                               f"eagerly: {_graphs(metrics)} for the target", measured=True, targets=len(site.targets))
    graphs = [collected.metrics[t].graphs for t in site.targets if collected.metrics.get(t) is not None]
    most = max(graphs, default=0)
    first = next((collected.metrics[t] for t in sorted(site.targets) if collected.metrics.get(t) is not None), None)
    said = _graphs(first) if first is not None else "graphs not counted"
    return Impact(40 + min(most, 9), f"the break cut the target's capture: {said}", measured=True,
                  targets=len(site.targets))


def _graphs(metrics) -> str:
    return f"{metrics.graphs} graph{'' if metrics.graphs == 1 else 's'}{metrics.ops_text()}"


def _failure_finding(result: TargetResult, cwd: Path) -> Finding:
    outcome = result.outcome
    ref = result.ref
    frame = None
    kind = outcome.failure()
    if kind == "error":
        error = outcome.error
        message = f"{ref.function}: {error.kind} error: {error.message}"
        frame = error.frame
    elif kind == "eager":
        error = outcome.eager_error
        message = f"{ref.function} fails even without torch.compile: {error.exception}: {error.message}"
        frame = error.frame
    elif kind == "compile":
        verdict = outcome.strict
        message = f"{ref.function}: torch.compile failed ({verdict.status}): {verdict.exception}: {verdict.message}"
        frame = verdict.frame
    else:
        flood = outcome.flood or {}
        message = (f"{ref.function} flooded its output: {flood.get('dropped')} bytes beyond the first "
                   f"{flood.get('kept')} were dropped (the target's output is never mixed into the report)")
    path = discovery.display_path(Path(frame.file), cwd) if frame else ref.display_file
    line = frame.line if frame else ref.line
    return rule_by_code(TARGET_FAILED).finding(path, line, 1, message, status="dynamic", target=ref.display)
