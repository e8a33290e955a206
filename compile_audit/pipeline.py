"""From settings to a finished result: scan -> fix -> confirm -> baseline.

The one orchestration layer. The command line (``cli.py``: arguments, rendering, exit codes)
and the pytest plugin both call it, so a setting means the same thing in both, and the
findings the tool makes itself (CA902-CA904) obey ``select``/``ignore``, ``per-file-ignores``,
``severity`` and ``# noqa`` exactly as the rules' findings do.

Nothing here imports torch: the dynamic layer runs its targets in worker processes.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from compile_audit.core import discovery
from compile_audit.lint import suppressions
from compile_audit.core.config import Settings
from compile_audit.core.findings import Finding, plural, rank_findings
from compile_audit.lint.scan import ScanResult, scan
from compile_audit.lint.session import Session


class PipelineError(Exception):
    """Bad input the user can fix (a missing path, a baseline that cannot be read): exit 2."""


@dataclass
class Request:
    """What one run does."""

    paths: Sequence[Path]
    settings: Settings
    cwd: Path
    #: run the static rules (False for ``verify``: targets only)
    rules: bool = True
    fix: bool = False
    unsafe_fixes: bool = False
    #: compute the fixes as diffs, write nothing
    diff: bool = False
    confirm: bool = False
    #: where to collect audit targets (default: the configured ``targets``, else ``paths``)
    target_paths: Optional[Sequence[Path]] = None
    baseline: Optional[Path] = None
    force_exclude: bool = False
    use_cache: bool = True
    follow_symlinks: bool = False
    #: a progress bar on stderr (None: when stderr is a terminal)
    progress: Optional[bool] = None
    #: ``--shard K/N``: run only the K-th of N shares of the audit targets (1-based)
    shard: Optional[tuple[int, int]] = None
    #: after --confirm, write the verdicts here (``compile_audit.core.verdicts``)
    save_verdicts: Optional[Path] = None
    #: a static-only run reads stored verdicts: this file, else the configured or default one
    #: when it exists; ``use_verdicts=False`` reads none
    verdicts: Optional[Path] = None
    use_verdicts: bool = True


@dataclass
class Run:
    """A finished run: the result to render, and what the steps said on the way."""

    result: ScanResult
    #: the fix step's report (``compile_audit.lint.fix.FixReport``), when fixes were asked for
    fixes: object = None
    #: findings hidden because the baseline records them
    baselined: int = 0
    #: the verdict file read (shown path) and what was made of it (``verdicts.Applied``)
    verdicts_file: Optional[str] = None
    verdicts: object = None
    #: how many verdicts ``save_verdicts`` wrote, and where (shown path)
    saved_verdicts: Optional[int] = None
    saved_verdicts_file: Optional[str] = None


def load_baseline(path: Optional[Path]):
    if path is None:
        return None
    from compile_audit.core import baseline

    try:
        return baseline.load(path)
    except baseline.BaselineError as exc:
        raise PipelineError(str(exc)) from None


def session_for(request: Request) -> Session:
    """The run's session: the settings resolved once, the whole project's index."""
    return Session(request.settings, request.cwd, request.paths, use_cache=request.use_cache)


def check_coverage(session: Session) -> None:
    """A release no selected rule covers: an error when the user named it (``--target-torch``,
    ``target-torch``), a warning when it was found (the installed torch, the project's pin)."""
    problem = session.ruleset.uncovered(session.release)
    if problem is None:
        return
    if session.release.source in ("--target-torch", "target-torch in the configuration"):
        raise PipelineError(problem)
    print(f"compile-audit: warning: {problem}", file=sys.stderr)


def run(request: Request) -> Run:
    cwd = request.cwd
    known = load_baseline(request.baseline)
    session = session_for(request)
    if request.rules:
        check_coverage(session)
    # the workers start importing torch before the static scan, which runs meanwhile
    dynamic = start_dynamic(request) if request.confirm else None
    try:
        if request.rules:
            result = scan(session, request.paths, force_exclude=request.force_exclude,
                          follow_symlinks=request.follow_symlinks)
        else:
            result = ScanResult()
        outcome = Run(result)
        if request.fix or request.diff:
            outcome.fixes = _fix(request, session, result, known)
            if not request.diff:
                session = session_for(request)  # the fixed files: indexed again
                outcome.result = result = scan(session, request.paths, force_exclude=request.force_exclude,
                                               follow_symlinks=request.follow_symlinks)
        if dynamic is not None:
            confirm(request, result, dynamic, session)
            dynamic = None
            if not request.rules:  # verify: the files the targets ran, their own and those they traced
                result.files = len({str(t.ref.file) for t in result.targets}
                                   | {os.path.abspath(f) for t in result.targets for f in t.outcome.lines})
            if request.save_verdicts is not None and result.dynamic:
                outcome.saved_verdicts = save_verdicts(request.save_verdicts, result)
                outcome.saved_verdicts_file = discovery.display_path(Path(os.path.abspath(request.save_verdicts)), cwd)
        elif request.rules and request.use_verdicts:
            read_verdicts(request, outcome)
    finally:
        if dynamic is not None:  # the scan failed: the started workers go
            dynamic.close()
    if known is not None:
        from compile_audit.core import baseline

        result.findings, outcome.baselined = baseline.filter_new(result.findings, result.sources, known)
    result.findings = rank_findings(result.findings)
    return outcome


def verdict_file(request: Request) -> Path:
    from compile_audit.core.verdicts import DEFAULT_FILE

    settings = request.settings
    return request.verdicts or settings.path(settings.verdicts or DEFAULT_FILE)


def save_verdicts(path: Path, result: ScanResult) -> int:
    from compile_audit.core import verdicts

    try:
        return verdicts.write(path, result.findings, result.sources, torch=result.torch_version,
                              backend=result.backend, device=result.device)
    except OSError as exc:
        raise PipelineError(f"cannot write {path}: {exc.strerror or exc}") from None


def read_verdicts(request: Request, run_: Run) -> None:
    """A static-only run: the stored verdicts give matching findings their status."""
    from compile_audit.core import verdicts

    path = verdict_file(request)
    if not path.exists():
        if request.verdicts is not None:
            raise PipelineError(f"{path}: no such verdict file")
        return
    try:
        stored = verdicts.load(path)
    except verdicts.VerdictError as exc:
        raise PipelineError(str(exc)) from None
    shown = discovery.display_path(Path(os.path.abspath(path)), request.cwd)
    run_.verdicts_file = shown
    run_.verdicts = verdicts.apply(run_.result.findings, run_.result.sources, stored, shown)
    run_.result.findings = run_.verdicts.findings


def _fix(request: Request, session: Session, result: ScanResult, known):
    from compile_audit.lint.fix import fix_files

    unsafe = request.unsafe_fixes
    if known is not None:
        from compile_audit.core import baseline

        findings, _ = baseline.filter_new(result.findings, result.sources, known)
    else:
        findings = result.findings
    fixable = sorted({f.path for f in findings if f.fix is not None and (f.fix.safe or unsafe)})
    return fix_files(session, [request.cwd / p for p in fixable], unsafe, write=not request.diff, baseline=known)


# -- confirm: the dynamic layer ---------------------------------------------------------------

def target_roots(settings: Settings, paths: Sequence[Path]) -> list[str]:
    """The folders whose files are the user's: a break is reported at the innermost frame in
    them. The project root is always one, so ``verify audits/`` and ``scan src --confirm``
    attribute a break in ``src/`` to the same line."""
    return sorted({os.path.abspath(p) for p in [settings.root, *paths]})


def watched_lines(findings: Sequence[Finding], cwd: Path) -> dict[str, list[int]]:
    """The lines the static findings flag, by absolute file: the workers report each that ran
    without being traced, and re-probe it."""
    watch: dict[str, set[int]] = {}
    for finding in findings:
        rule = finding.rule
        if rule is not None and (rule.dynamic_only or rule.proof in ("recompile", "eager")):
            continue
        file = os.path.abspath(cwd / finding.path)
        watch.setdefault(file, set()).update(range(finding.span.line, finding.span.end_line + 1))
    return {f: sorted(v) for f, v in watch.items()}


@dataclass
class Dynamic:
    """The dynamic layer, started before the scan: its targets and its workers (importing torch)."""

    target_paths: list
    refs: list
    workers: list
    roots: list
    #: how many of ``refs`` were synthesized (the project has no audit targets)
    synthesized: int = 0

    def close(self) -> None:
        for worker in self.workers:
            worker.close()
        self.workers = []


def start_dynamic(request: Request) -> Dynamic:
    """Check that the dynamic layer can run, collect the audit targets, and start the workers."""
    from compile_audit.dynamic import audit, pool

    settings, cwd = request.settings, request.cwd
    named = list(request.target_paths or [settings.path(p) for p in settings.targets])
    for path in named:
        if not path.exists():
            raise PipelineError(f"{path}: no such file or directory")
    # targets default to the scanned paths; a missing one is the scan's error, reported with the rest
    target_paths = named or [path for path in request.paths if path.exists()]
    audit.check_available(settings)
    refs = audit.collect(target_paths, settings, cwd)
    from compile_audit.dynamic import recorded

    refs += recorded.collect(settings.root, cwd)
    synthesized = 0
    if not refs and request.rules and settings.synthesize:
        from compile_audit.dynamic import synth

        files = discovery.discover(request.paths, settings.root, [*settings.exclude, *settings.extend_exclude],
                                   request.force_exclude or settings.force_exclude, request.follow_symlinks,
                                   respect_gitignore=settings.respect_gitignore, missing=[])  # reported by the scan
        refs = synth.synthesize(files, cwd)
        synthesized = len(refs)
    if request.shard is not None:
        refs = audit.shard(refs, *request.shard)
    roots = target_roots(settings, [*request.paths, *target_paths])
    workers = pool.spawn(min(settings.workers, len(refs)), roots=roots, cwd=cwd,
                         memory_limit=settings.memory_limit) if refs else []
    return Dynamic(target_paths, refs, workers, roots, synthesized)


def confirm(request: Request, result: ScanResult, dynamic: Optional[Dynamic] = None,
            session: Optional[Session] = None) -> None:
    """Run the audit targets and fold the verdicts into ``result``: statuses on its findings,
    the dynamic findings (filtered by the settings as every finding is), per-target results."""
    from compile_audit.dynamic import audit, reconcile

    settings, cwd = request.settings, request.cwd
    dynamic = dynamic or start_dynamic(request)
    session = session or session_for(request)
    if not dynamic.refs:
        shown = ", ".join(discovery.display_path(Path(os.path.abspath(p)), cwd) for p in dynamic.target_paths)
        print(f"compile-audit: no audit targets under {shown}: nothing ran under torch.compile, so every finding "
              "keeps its static status. Write audit_*() functions in audit_*.py files (see docs/dynamic.md).",
              file=sys.stderr)
        result.dynamic = False
        return
    if dynamic.synthesized:
        print(f"compile-audit: no audit targets: synthesized {plural(dynamic.synthesized, 'target')} from module "
              "classes whose constructor and input the runner can infer (labelled `synthesized`; --no-synthesize "
              "turns this off, docs/dynamic.md)", file=sys.stderr)
    results, torch_version = audit.run(
        dynamic.refs, settings, cwd, roots=dynamic.roots, started=dynamic.workers,
        watch=watched_lines(result.findings, cwd) if request.rules else None, progress=request.progress)
    dynamic.workers = []
    reconciled = reconcile.reconcile(result.findings, results, cwd, rules_ran=request.rules)
    judged = _why_unreached(reconciled.findings, settings, cwd) if any(r.ref.recorded for r in results) \
        else reconciled.findings
    result.findings = sorted([*judged, *apply_settings(reconciled.extra, session, result)], key=Finding.sort_key)
    result.targets = results
    result.dynamic = True
    result.backend, result.device = settings.backend, settings.device
    if torch_version:
        result.torch_version = torch_version


def _why_unreached(findings: Sequence[Finding], settings: Settings, cwd: Path) -> list[Finding]:
    """Each unreached finding of a recorded run says whether its line ran during the recorded
    command (a gap in the recording) or never ran (a gap in the tests)."""
    from compile_audit.dynamic import recorded

    ran = recorded.coverage(settings.root)
    out = []
    for finding in findings:
        why = (recorded.why_unreached(finding, settings.root, cwd, ran)
               if finding.status == "unreached" and finding.target is None else None)  # no target ran its line
        out.append(finding.with_(dynamo=f"{finding.dynamo}; {why}" if finding.dynamo else why) if why else finding)
    return out


def apply_settings(findings: Sequence[Finding], session: Session, result: ScanResult) -> list[Finding]:
    """The settings every rule's findings obey, applied to findings made after the scan by the
    session's rule set: ``select``/``ignore``, ``per-file-ignores`` (with the tool's own codes'
    exact-match semantics), ``# noqa`` on the line or in the file, and ``severity``."""
    kept = []
    parsed: dict[str, suppressions.Suppressions] = {}
    for finding in findings:
        file = session.cwd / finding.path
        if not session.ruleset.enabled(finding.code, file):
            continue
        if finding.path not in parsed:
            try:
                text = file.read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = ""
            parsed[finding.path] = suppressions.parse(text)
            if text and finding.path not in result.sources:
                result.sources[finding.path] = dict(enumerate(text.splitlines(), 1))
        if parsed[finding.path].suppresses(finding.code, finding.span.line):
            continue
        kept.append(session.ruleset.severity(finding))
    return kept


@dataclass
class SourceRun:
    """``scan -``: the result for the source read from stdin, the (fixed) source, its diff."""

    run: Run
    text: str = ""
    diff: Optional[str] = None


def run_source(data: bytes, filename: Optional[str], settings: Settings, cwd: Path, *, fix: bool = False,
               diff: bool = False, unsafe_fixes: bool = False, force_exclude: bool = False,
               baseline: Optional[Path] = None) -> SourceRun:
    """Lint one source given as bytes as if it were the file ``filename`` (its per-file ignores
    apply; excluded only with ``force_exclude``), against the whole project's index with this
    buffer in place of the file's saved content; with ``fix``/``diff``, fix it first."""
    from compile_audit.lint.fix import fix_text, unified_diff
    from compile_audit.core.source import SourceError, decode

    known = load_baseline(baseline)
    path = Path(os.path.abspath(cwd / filename)) if filename else cwd / "-"
    display = discovery.display_path(path, cwd) if filename else "-"
    session = Session(settings, cwd, [path] if filename else [])
    check_coverage(session)
    result = ScanResult(files=1, torch_version=session.torch_version, release=session.release)
    excluded = force_exclude and session.excluded(path)
    rules = [] if excluded else session.ruleset.rules_for(path)
    if filename:
        session.update(path, data)
    out = SourceRun(Run(result), text=data.decode("utf-8", errors="surrogateescape"))

    def lint(source):
        return session.lint_buffer(path, source, display, rules)

    if fix or diff:
        try:
            text = decode(data).text
        except SourceError:
            text = None
        if text is not None:
            fixed = fix_text(text, display, lint, unsafe_fixes, known).text
            if diff:
                out.diff = unified_diff(display, text, fixed) if fixed != text else ""
                return out
            out.text = fixed
            data = fixed.encode("utf-8")
        elif diff:
            out.diff = ""
            return out
    linted = lint(data)
    result.findings = [f.with_(edit=None) if f.edit is not None else f for f in linted.findings]
    if linted.error is not None:
        result.errors.append(linted.error)
    result.sources[display] = linted.lines
    if known is not None:
        from compile_audit.core import baseline as baseline_module

        result.findings, out.run.baselined = baseline_module.filter_new(result.findings, result.sources, known)
    result.findings = rank_findings(result.findings)
    return out
