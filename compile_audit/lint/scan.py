"""The static scan of a whole run: a session + paths -> files -> findings, in a stable order: the
cache looked up in this process, the files it misses linted through ``Session.lint_buffer`` (in
worker processes when many)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from compile_audit.core import parallel
from compile_audit.core.findings import FileError, Finding
from compile_audit.core.torch_release import TorchRelease


@dataclass
class ScanResult:
    files: int = 0
    findings: list[Finding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    #: path -> line -> text, for code frames
    sources: dict[str, dict[int, str]] = field(default_factory=dict)
    #: the release the verdicts are for: the target release of a static scan, the release the
    #: workers ran after --confirm/verify
    torch_version: Optional[str] = None
    #: the release the static verdicts are for, and where it came from
    release: Optional[TorchRelease] = None
    #: set by the dynamic layer: one TargetResult per audit target
    targets: list = field(default_factory=list)
    dynamic: bool = False
    #: ``--expected``: the comparison with the expected-metrics file (``compile_audit.core.expected``)
    expected: Optional[dict] = None
    backend: str = "eager"
    device: str = "cpu"
    #: what the whole project compiles (``compile_audit.analysis.project.ProjectIndex``), for the recorder
    project: Optional[object] = None
    #: the session that scanned: ``project_index()`` puts its index together when asked
    session: Optional[object] = field(default=None, repr=False)

    def project_index(self):
        """The project index of the scan (put together now if the scan did not need it)."""
        if self.project is None and self.session is not None:
            self.project = self.session.project
        return self.project


#: the session every file's lint shares (set before the workers start)
_SHARED: dict = {"session": None}


def _share(session) -> None:
    _SHARED["session"] = session


def _lookup(task: tuple) -> tuple:
    """Read one file and look it up in the cache: (data, cache entry, hit or None, error).
    Needs no rule and no libcst: a warm scan is this for every file."""
    path, display = task
    session = _SHARED["session"]
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return None, None, None, FileError(display, f"cannot read: {exc.strerror or exc}")
    folder = session.cache_folder
    if folder is None:
        return data, None, None, None
    from compile_audit.lint import cache

    codes = session.ruleset.codes_for(Path(path))
    entry = cache.key(data, display, [*codes, *session.cache_context(Path(path))])
    hit = cache.load(folder, entry)
    return data, entry, (cache.decode(hit) if hit is not None else None), None


def _lint_one(task: tuple, looked_up: Optional[tuple] = None) -> tuple:
    """Lint one file (in a worker process or in-line): read, look up the cache, lint, store.
    ``looked_up`` is the parent's ``(data, cache entry)`` of a file the cache missed: it is not
    read or looked up again. Returns plain data: findings without their codemods, the
    code-frame lines, the error."""
    path, display = task
    session = _SHARED["session"]
    if looked_up is not None:
        data, entry = looked_up
    else:
        data, entry, hit, error = _lookup(task)
        if error is not None:
            return [], {}, error
        if hit is not None:
            return hit
    result = session.lint_buffer(Path(path), data, display)
    findings = [f.with_(edit=None) if f.edit is not None else f for f in result.findings]
    if entry:
        from compile_audit.lint import cache

        cache.store(session.cache_folder, entry, cache.encode(findings, result.lines, result.error))
    return findings, result.lines, result.error


PARALLEL_MIN_FILES = 8


def scan(session, paths: Sequence[Path], force_exclude: bool = False, follow_symlinks: bool = False) -> ScanResult:
    """Scan the files under ``paths`` against the whole project's index. ``session`` is the run's
    ``compile_audit.lint.session.Session`` (passed down, not imported: the scan sits beside it)."""
    missing: list = []
    files = session.discover(paths, force_exclude, follow_symlinks, missing=missing)
    result = ScanResult(files=len(files), torch_version=session.torch_version, release=session.release)
    result.errors.extend(FileError(session.display(path), problem, missing=True) for path, problem in missing)
    session.load(files)  # put together only when a file is linted (a warm scan needs the digest alone)
    result.session = session
    _share(session)
    tasks = [(str(path), session.display(path)) for path in files]
    jobs = session.settings.workers
    # the cache first, here: only the files it misses are linted (in workers when many)
    outputs: list = [None] * len(tasks)
    misses, looked = [], []
    cached = session.cache_folder is not None
    for i, task in enumerate(tasks):
        data, entry, hit, error = _lookup(task) if cached else (None, None, None, None)
        if error is not None:
            outputs[i] = ([], {}, error)
        elif hit is not None:
            outputs[i] = hit
        else:
            misses.append(i)
            looked.append((data, entry) if cached else None)
    missed = [tasks[i] for i in misses]
    if jobs > 1 and len(missed) >= PARALLEL_MIN_FILES:
        session.load_lint()  # imported once, and the index put together, before the workers fork
        session.index()
        linted = _parallel(missed, looked, jobs, session)
    else:
        linted = [_lint_one(task, seen) for task, seen in zip(missed, looked)]
    for i, output in zip(misses, linted):
        outputs[i] = output
    for (_, display), (findings, lines, error) in zip(tasks, outputs):
        if error is not None:
            result.errors.append(error)
        result.findings.extend(findings)
        if lines:
            result.sources[display] = lines
    result.findings.sort(key=Finding.sort_key)
    return result


def _parallel(tasks: list, looked: list, jobs: int, session) -> list:
    """Lint across processes; results come back in task order, so output is deterministic."""
    return parallel.map_files(_lint_one, [path for path, _ in tasks], tasks, looked, jobs=jobs, initializer=_share,
                              initargs=(session,))
