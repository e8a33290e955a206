"""The static scan of a whole run: settings + paths -> files -> findings, in a stable order."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Sequence

from compile_audit.core import discovery
from compile_audit.core.config import Settings
from compile_audit.core.findings import FileError, Finding
from compile_audit.lint.registry import catalog, ignores_own, select_rules
from compile_audit.core.torch_release import TorchRelease, resolve

if TYPE_CHECKING:  # pragma: no cover - the engine and the rules import libcst: only on a cache miss
    from compile_audit.lint.rule import Rule


def target_release(settings: Settings) -> TorchRelease:
    """The torch release the static verdicts are for (``compile_audit.core.torch_release``)."""
    option = settings.target_torch if settings.target_torch_from_cli else None
    return resolve(option, None if option else settings.target_torch, settings.root)


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
    backend: str = "eager"
    device: str = "cpu"
    #: what the whole project compiles (``compile_audit.analysis.project.ProjectIndex``), for the recorder
    project: Optional[object] = None


def enabled_rules(settings: Settings, torch_version: Optional[str], infos: bool = False) -> list:
    """The enabled rule classes; with ``infos``, their ``RuleInfo``s (no rule is imported)."""
    rules = select_rules(settings.select, settings.ignore, settings.extend_select, catalog() if infos else None)
    return [r for r in rules if r.applies_to_torch(torch_version)]


def _per_file_ignored(path: Path, settings: Settings) -> set[str]:
    codes: set[str] = set()
    for pattern, ignored in settings.per_file_ignores.items():
        if discovery.is_excluded(path, settings.root, [pattern]):
            codes.update(c.upper() for c in ignored)
    return codes


def rules_for(path: Path, settings: Settings, rules: list[type[Rule]]) -> list[type[Rule]]:
    ignored = _per_file_ignored(path, settings)
    if not ignored:
        return rules
    return [r for r in rules if not (ignores_own(r.code, ignored) if r.own
                                     else any(r.code.startswith(i) for i in ignored))]


#: what every file's lint shares (set before the workers start): the project index and the
#: torch release whose return types the value model uses
_SHARED: dict = {"project": None, "torch": None}


def _share(project, torch_version: Optional[str]) -> None:
    _SHARED["project"] = project
    _SHARED["torch"] = torch_version


def _lookup(task: tuple) -> tuple:
    """Read one file and look it up in the cache: (data, cache entry, hit or None, error).
    Needs no rule and no libcst: a warm scan is this for every file."""
    path, display, codes, cache_folder = task
    from compile_audit.lint import cache
    from compile_audit.analysis.torch_types import TorchTypes

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return None, None, None, FileError(display, f"cannot read: {exc.strerror or exc}")
    if not cache_folder:
        return data, None, None, None
    project = _SHARED["project"]
    module_name = project.module_of(Path(path)) if project is not None else None
    types = TorchTypes.load(_SHARED["torch"])
    context_key = [f"torch-types={types.version}", f"torch={types.release}", f"module={module_name}",
                   f"project={project.digest() if project is not None else None}"]
    entry = cache.key(data, display, [*codes, *context_key])
    hit = cache.load(Path(cache_folder), entry)
    return data, entry, (cache.decode(hit) if hit is not None else None), None


def _lint_one(task: tuple, looked_up: Optional[tuple] = None) -> tuple:
    """Lint one file (in a worker process or in-line): read, look up the cache, lint, store.
    ``looked_up`` is the parent's ``(data, cache entry)`` of a file the cache missed: it is not
    read or looked up again. Returns plain data: findings without their codemods, the
    code-frame lines, the error."""
    path, display, codes, cache_folder = task
    from compile_audit.lint import cache
    from compile_audit.lint.engine import lint_source
    from compile_audit.lint.registry import rule_by_code
    from compile_audit.analysis.torch_types import TorchTypes

    if looked_up is not None:
        data, entry = looked_up
    else:
        data, entry, hit, error = _lookup(task)
        if error is not None:
            return [], {}, error
        if hit is not None:
            return hit
    project = _SHARED["project"]
    module_name = project.module_of(Path(path)) if project is not None else None
    types = TorchTypes.load(_SHARED["torch"])
    rules = [rule_by_code(code) for code in codes]
    result = lint_source(data, display, [r for r in rules if r is not None], project, module_name, types)
    for finding in result.findings:
        finding.details.pop("edit", None)
    if entry:
        cache.store(Path(cache_folder), entry, cache.encode(result.findings, result.lines, result.error))
    return result.findings, result.lines, result.error


PARALLEL_MIN_FILES = 8


def scan(
    paths: Sequence[Path],
    settings: Settings,
    cwd: Path,
    force_exclude: bool = False,
    use_cache: bool = True,
    keep_edits: bool = False,
    follow_symlinks: bool = False,
) -> ScanResult:
    """Scan the files under ``paths``. ``keep_edits`` keeps the findings' codemods (one
    process, no cache), for ``--fix``."""
    release = target_release(settings)
    torch_version = release.version
    rules = enabled_rules(settings, torch_version, infos=not keep_edits)
    files = discovery.discover(
        paths, settings.root, [*settings.exclude, *settings.extend_exclude], force_exclude or settings.force_exclude,
        follow_symlinks, respect_gitignore=settings.respect_gitignore,
    )
    result = ScanResult(files=len(files), torch_version=torch_version, release=release)
    from compile_audit.analysis.project import ProjectIndex
    from compile_audit.analysis.torch_types import TorchTypes

    cache_folder = None
    if use_cache and not keep_edits:
        from compile_audit.lint import cache

        folder = cache.prepare(settings.root)
        cache_folder = str(folder) if folder else None
    project = ProjectIndex.build(files, roots=(cwd, settings.root),
                                 cache_folder=Path(cache_folder) if cache_folder else None)
    _share(project, torch_version)
    result.project = project
    tasks = [
        (str(path), discovery.display_path(path, cwd), [r.code for r in rules_for(path, settings, rules)], cache_folder)
        for path in files
    ]
    jobs = settings.jobs or os.cpu_count() or 1
    if keep_edits:
        from compile_audit.lint.engine import lint_file

        outputs = []
        for path, display, codes, _ in tasks:
            file_result = lint_file(Path(path), display, [r for r in rules if r.code in set(codes)], project,
                                    TorchTypes.load(torch_version))
            outputs.append((file_result.findings, file_result.lines, file_result.error))
    else:
        # the cache first, here: only the files it misses are linted (in workers when many)
        outputs = [None] * len(tasks)
        misses, looked = [], []
        for i, task in enumerate(tasks):
            data, entry, hit, error = _lookup(task) if cache_folder else (None, None, None, None)
            if error is not None:
                outputs[i] = ([], {}, error)
            elif hit is not None:
                outputs[i] = hit
            else:
                misses.append(i)
                looked.append((data, entry) if cache_folder else None)
        missed = [tasks[i] for i in misses]
        if jobs > 1 and len(missed) >= PARALLEL_MIN_FILES:
            linted = _parallel(missed, looked, jobs, project, torch_version)
        else:
            linted = [_lint_one(task, seen) for task, seen in zip(missed, looked)]
        for i, output in zip(misses, linted):
            outputs[i] = output
    by_code = {r.code: r for r in rules} if keep_edits else {}
    for (_, display, _, _), (findings, lines, error) in zip(tasks, outputs):
        if error is not None:
            result.errors.append(error)
        for finding in findings:
            finding.rule = finding.rule or by_code.get(finding.code)  # a cached finding: no rule (None)
            if finding.code in settings.severity:
                finding.severity = settings.severity[finding.code]  # type: ignore[assignment]
        result.findings.extend(findings)
        if lines:
            result.sources[display] = lines
    result.findings.sort(key=Finding.sort_key)
    return result


def _parallel(tasks: list, looked: list, jobs: int, project, torch_version: Optional[str]) -> list:
    """Lint across processes; results come back in task order, so output is deterministic."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    chunk = max(1, min(64, len(tasks) // (jobs * 8) or 1))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_share,
                             initargs=(project, torch_version)) as pool:
        return list(pool.map(_lint_one, tasks, looked, chunksize=chunk))
