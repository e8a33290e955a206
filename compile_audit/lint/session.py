"""The session: the settings resolved once, and the one function that lints a buffer.

Every door (``scan DIR``, ``scan FILE``, ``scan -``, ``--fix``/``--diff``, the pre-commit hook,
the language server, the pytest plugin) builds a ``Session`` and lints through
``Session.lint_buffer``, so the same file gets the same findings whichever way it is asked for:

* the selected rules, the per-file ignores and the severities (``RuleSet``), and the torch
  release the findings are for, are worked out here and nowhere else;
* the project index is always the whole project's: every Python file under the project root
  (the configuration's folder, else the git repository's top, else the folder scanned), plus
  the files asked about. Findings are reported for the files asked about only. The index is
  cached: each file's part by its content (``ProjectIndex.cached_contribution``), the whole
  project's parts by the files' sizes and modification times, so a scan of one staged file in
  an unchanged project reads one cache file instead of the project.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Optional, Sequence, Union

from compile_audit.core import discovery
from compile_audit.core.config import Settings
from compile_audit.core.findings import Finding
from compile_audit.core.torch_release import TorchRelease, resolve
from compile_audit.analysis.index_store import PARSER as _PARSER
from compile_audit.lint.registry import catalog, ignores_own, rule_by_code, select_rules

if TYPE_CHECKING:  # pragma: no cover
    from compile_audit.analysis.project import ProjectIndex
    from compile_audit.lint.engine import FileResult

#: bump when what the whole-project cache entry holds changes
_PROJECT_CACHE_VERSION = "1"


#: fewer files than this are indexed in this process (workers cost more than they save)
PARALLEL_MIN_FILES = 8


def _index_part(data: bytes, module: str, package: bool, display: str,
                cache_folder: Optional[Path]) -> tuple[Optional[dict], Optional[int]]:
    """One file's part of the project index (None for an empty file), and the hash of its bytes
    when CPython's parser accepted them."""
    from compile_audit.analysis.project import ProjectIndex

    if not data.strip():
        return None, None
    with young_gc_only():
        part = ProjectIndex.cached_contribution(data, module, package, display, cache_folder)
    return part, hash(data) if part.get("parsed_by") == _PARSER else None


def _index_task(task: tuple) -> Optional[tuple[Optional[dict], Optional[int]]]:
    """A worker's share of the index pass: read one file, compute (or load) its part; None when
    it cannot be read."""
    path, module, package, display, cache_folder = task
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    return _index_part(data, module, package, display, cache_folder)


@contextlib.contextmanager
def young_gc_only():
    """Run one file's parse and analysis without the cyclic collector, then collect once what
    it left. A file's trees are millions of young objects: with the collector on, the heap they
    grow sets off full collections over everything alive, again and again as it grows (a 900 KB
    module spent a quarter of its scan there). With it paused, the one collection afterwards
    looks at the file's own objects only (none was promoted meanwhile): linear in the file."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


def target_release(settings: Settings) -> TorchRelease:
    """The torch release the static verdicts are for (``compile_audit.core.torch_release``)."""
    option = settings.target_torch if settings.target_torch_from_cli else None
    return resolve(option, None if option else settings.target_torch, settings.root)


def project_root(settings: Settings, paths: Sequence[Path], cwd: Path) -> Path:
    """The folder whose Python files make up the project: the configuration's folder when there
    is a configuration; else the top of the git repository holding what is scanned; else the
    folder scanned (a file's own folder)."""
    if settings.config_file is not None:
        return Path(settings.root).resolve()
    given = [Path(os.path.abspath(cwd / p)) for p in paths if str(p) != "-"] or [Path(os.path.abspath(cwd))]
    start = Path(os.path.commonpath([str(p if p.is_dir() else p.parent) for p in given]))
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


class RuleSet:
    """The rules a session runs, resolved once from ``select``/``ignore``/``extend-select``, the
    torch release and ``per-file-ignores``; and the severities ``severity`` overrides."""

    def __init__(self, settings: Settings, torch_version: Optional[str]) -> None:
        self.settings = settings
        selected = select_rules(settings.select, settings.ignore, settings.extend_select, catalog())
        self.infos = [r for r in selected if r.applies_to_torch(torch_version)]
        #: the selected rules that check code (not the tool's own findings), and those of them
        #: that cover the torch release: none of those means the scan can find nothing
        self.checking = [r for r in selected if not r.own]
        self.covering = [r for r in self.infos if not r.own]
        self.codes = [r.code for r in self.infos]
        self.severities = dict(settings.severity)
        self._by_path: dict[str, list[str]] = {}

    def codes_for(self, path: Path) -> list[str]:
        """The codes enabled for ``path`` (after its per-file ignores)."""
        key = str(path)
        if key not in self._by_path:
            ignored: set[str] = set()
            for pattern, codes in self.settings.per_file_ignores.items():
                if discovery.is_excluded(path, self.settings.root, [pattern]):
                    ignored.update(c.upper() for c in codes)
            self._by_path[key] = self.codes if not ignored else [
                r.code for r in self.infos
                if not (ignores_own(r.code, ignored) if r.own else any(r.code.startswith(i) for i in ignored))]
        return self._by_path[key]

    def rules_for(self, path: Path) -> list:
        """The rule classes enabled for ``path`` (imports the rules)."""
        return [rule for rule in (rule_by_code(code) for code in self.codes_for(path)) if rule is not None]

    def enabled(self, code: str, path: Path) -> bool:
        return code in self.codes_for(path)

    def severity(self, finding: Finding) -> Finding:
        """The finding with the configured severity of its code."""
        wanted = self.severities.get(finding.code)
        return finding if wanted is None or wanted == finding.severity else replace(finding, severity=wanted)

    def uncovered(self, release: TorchRelease) -> Optional[str]:
        """Why a scan for ``release`` could find nothing (no selected rule covers it), or None."""
        if not self.checking or self.covering:
            return None
        from compile_audit.proofs import release_key

        lowest = min((r.torch_versions for r in self.checking), key=lambda spec: release_key(
            spec.lstrip("<>=!~ ").split(",")[0] or "0"))
        return (f"no selected rule covers torch {release.version} ({release.source}): the rules cover "
                f"torch {lowest} (e.g. --target-torch {lowest.lstrip('<>=!~ ').split(',')[0]}); "
                "a scan for this release can find nothing")

    def key(self) -> list[str]:
        """What of the rule set a cached file result depends on, besides its codes."""
        return [f"severity={sorted(self.severities.items())}"]


class Session:
    """One run's settings, resolved once and passed down: the rule set, the torch release and its
    type tables, the project root and the project index."""

    def __init__(self, settings: Settings, cwd: Path, paths: Sequence[Path] = (), use_cache: bool = True,
                 root: Optional[Path] = None) -> None:
        self.settings = settings
        self.cwd = cwd
        self.release = target_release(settings)
        self.torch_version = self.release.version
        self.ruleset = RuleSet(settings, self.torch_version)
        self.root = root or project_root(settings, paths, cwd)
        self.use_cache = use_cache
        self._cache_folder: Optional[Path] = None
        self._cache_ready = False
        self._types = None
        #: resolved file -> (module name, is package), and its part of the index
        self.modules: dict[str, tuple[str, bool]] = {}
        self.parts: dict[str, dict] = {}
        self._project: Optional[ProjectIndex] = None
        self._indexed = False
        #: the project's digest kept in the whole-project cache entry, while the index is not
        #: put together; the entry to write once it is
        self._digest: Optional[str] = None
        self._pending_entry: Optional[Path] = None
        #: resolved file -> hash of the bytes CPython's parser accepted when indexing it (its
        #: part's ``words`` then describe those bytes)
        self.parsed: dict[str, int] = {}

    # -- what every file's lint shares ------------------------------------------------------------

    @property
    def types(self):
        if self._types is None:
            from compile_audit.analysis.torch_types import TorchTypes

            self._types = TorchTypes.load(self.torch_version)
        return self._types

    @property
    def cache_folder(self) -> Optional[Path]:
        if not self._cache_ready:
            self._cache_ready = True
            if self.use_cache:
                from compile_audit.lint import cache

                self._cache_folder = cache.prepare(self.settings.root)
        return self._cache_folder

    @property
    def excludes(self) -> list[str]:
        return [*self.settings.exclude, *self.settings.extend_exclude]

    def discover(self, paths: Iterable[Path], force_exclude: bool = False, follow_symlinks: bool = False,
                 missing: Optional[list] = None) -> list[Path]:
        """The files under ``paths`` a scan reports on (``discovery.PathError`` for a missing path,
        or added to ``missing``)."""
        return discovery.discover(paths, self.settings.root, self.excludes,
                                  force_exclude or self.settings.force_exclude, follow_symlinks,
                                  respect_gitignore=self.settings.respect_gitignore, missing=missing)

    def display(self, path: Path) -> str:
        return discovery.display_path(path, self.cwd)

    # -- the project index: always the whole project ----------------------------------------------

    def project_files(self) -> list[Path]:
        try:
            return discovery.discover([self.root], self.settings.root, self.excludes, False, False,
                                      respect_gitignore=self.settings.respect_gitignore)
        except discovery.PathError:
            return []

    def index(self, asked: Iterable[Path] = ()) -> "ProjectIndex":
        """The index of the whole project, with ``asked`` (files scanned that the project's own
        discovery leaves out: excluded, outside the root) added."""
        self.load(asked)
        if self._project is None:
            from compile_audit.analysis.project import ProjectIndex

            self._project = ProjectIndex.assemble(self.modules, (self.parts[k] for k in sorted(self.parts)))
            self._digest = None
        if self._pending_entry is not None:
            self._store_entry(self._pending_entry, self._project.digest())
            self._pending_entry = None
        return self._project

    def load(self, asked: Iterable[Path] = ()) -> None:
        """The project's files' parts of the index, not yet put together (a warm scan whose
        every file is a cache hit needs only the project's digest, kept with the parts)."""
        if not self._indexed:
            self._indexed = True
            files = {os.path.abspath(p): p for p in self.project_files()}
            for path in asked:
                files.setdefault(os.path.abspath(path), path)
            self._load_parts([files[k] for k in sorted(files)])
        else:
            missing = [p for p in asked if str(Path(p).resolve()) not in self.modules]
            for path in missing:
                try:
                    self._index_file(path, Path(path).read_bytes())
                except OSError:
                    continue
                self._project, self._digest = None, None

    def project_digest(self) -> str:
        """``ProjectIndex.digest()`` of the project, without putting the index together when the
        whole-project cache entry kept it."""
        self.load()
        if self._project is None and self._digest is not None:
            return self._digest
        return self.index().digest()

    @property
    def project(self) -> "ProjectIndex":
        return self.index()

    def _index_file(self, path: Path, data: bytes) -> bool:
        """Recompute one file's part of the index; whether it changed."""
        from compile_audit.analysis.paths import module_name

        key = str(Path(path).resolve())
        module, package = module_name(Path(path), (self.root,))
        part, _ = _index_part(data, module, package, self.display(Path(path)), self.cache_folder)
        return self._set_part(key, (module, package), part, data)

    def _set_part(self, key: str, module: tuple, part: Optional[dict], data: Optional[bytes]) -> bool:
        self.modules[key] = module
        if data is not None and part is not None and part.get("parsed_by") == _PARSER:
            self.parsed[key] = hash(data)  # CPython accepted these bytes: the lint need not ask again
        else:
            self.parsed.pop(key, None)
        changed = self.parts.get(key) != part
        if changed:
            self._digest = None
        if part is None:
            self.parts.pop(key, None)
        else:
            self.parts[key] = part
        return changed

    def _load_parts(self, files: list[Path]) -> None:
        """Every file's part, from the whole-project cache entry when no file changed (by size and
        modification time) since it was written, else file by file."""
        from compile_audit.lint.cache import tool_digest

        # the tool's own state too: an index pass changed in a checkout must not read old parts
        signature = hashlib.sha256(f"{_PROJECT_CACHE_VERSION}\0{self.root}\0".encode() + tool_digest())
        stats = []
        for path in files:
            try:
                stat = os.stat(path)
            except OSError:
                continue
            stats.append(path)
            signature.update(f"{os.path.abspath(path)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
        entry = self._project_entry(signature.hexdigest())
        if entry is not None:
            try:
                with open(entry, encoding="utf-8") as stream:
                    stored = json.load(stream)
                self.modules = {k: tuple(v) for k, v in stored["modules"].items()}
                self.parts = stored["parts"]
                self._digest = stored.get("digest")
                return
            except (OSError, ValueError, KeyError, TypeError):
                pass
        if self.settings.workers > 1 and len(stats) >= PARALLEL_MIN_FILES:
            self.load_lint()  # once here, not in each worker of the index and lint pools
            self._index_in_parallel(stats)
        else:
            for path in stats:
                try:
                    data = Path(path).read_bytes()
                except OSError:
                    continue
                self._index_file(path, data)
        self._pending_entry = entry  # written with the digest once the index is put together

    def _store_entry(self, entry: Path, digest: str) -> None:
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
            with os.fdopen(fd, "w", encoding="utf-8") as stream:
                json.dump({"modules": self.modules, "parts": self.parts, "digest": digest}, stream)
            os.replace(temporary, entry)
        except OSError:
            pass  # a cache that cannot be written only costs time

    def load_lint(self) -> None:
        """Import what linting needs (libcst, the engine, the enabled rules) in this process:
        worker processes forked afterwards start with it instead of importing it each."""
        from compile_audit.analysis.project import ProjectIndex  # noqa: F401
        from compile_audit.lint import engine  # noqa: F401

        for code in self.ruleset.codes:
            rule_by_code(code)

    def _index_in_parallel(self, files: list[Path]) -> None:
        """Every file's part computed in worker processes (each reads and parses its files);
        the parts come back in order, so the index is the one a single process builds."""
        from compile_audit.analysis.paths import module_name
        from compile_audit.core import parallel

        modules = [module_name(Path(path), (self.root,)) for path in files]
        tasks = [(str(path), module, package, self.display(Path(path)), self.cache_folder)
                 for path, (module, package) in zip(files, modules)]
        results = parallel.map_files(_index_task, [str(path) for path in files], tasks, jobs=self.settings.workers)
        for path, module, done in zip(files, modules, results):
            if done is not None:
                key = str(Path(path).resolve())
                self._set_part(key, module, done[0], None)
                if done[1] is not None:
                    self.parsed[key] = done[1]

    def _project_entry(self, signature: str) -> Optional[Path]:
        folder = self.cache_folder
        if folder is None:
            return None
        from compile_audit import __version__

        return folder / __version__ / "project" / f"{signature}.json"

    def update(self, path: Path, data: Union[bytes, str]) -> bool:
        """A file's new content (an editor buffer, a saved file): the index follows it. Whether what
        the project knows changed (other files' findings may change with it)."""
        self.index()
        raw = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data
        if self._index_file(path, raw):
            self._project = None
            return True
        return False

    def forget(self, path: Path) -> None:
        key = str(Path(path).resolve())
        if self.modules.pop(key, None) is not None or self.parts.pop(key, None) is not None:
            self.parts.pop(key, None)
            self._project, self._digest = None, None

    # -- the one lint ------------------------------------------------------------------------------

    def excluded(self, path: Path) -> bool:
        return discovery.is_excluded(path, self.settings.root, self.excludes)

    @property
    def python(self) -> Optional[tuple[int, int]]:
        """The oldest Python the project supports (``requires-python``): what decides whether
        syntax of a newer Python is a finding, whatever Python runs the tool."""
        if not hasattr(self, "_python"):
            from compile_audit.core.torch_release import requires_python

            self._python = requires_python(Path(self.root))
        return self._python

    def cache_context(self, path: Path) -> list[str]:
        """What a file's cached result depends on besides its bytes, display path and codes."""
        types = self.types
        digest = self.project_digest()
        return [f"torch-types={types.version}", f"torch={types.release}", f"python={self.python}",
                f"module={self.modules.get(str(Path(path).resolve()))}",
                f"project={digest}", *self.ruleset.key()]

    def lint_buffer(self, path: Path, data: Union[bytes, str], display: Optional[str] = None,
                    rules: Optional[Sequence[type]] = None) -> "FileResult":
        """Lint ``data`` as the content of the file ``path``: the rules enabled for it, the whole
        project's index, the session's torch release, the configured severities. Findings carry
        their edits (``--fix``, the editor); the caller drops them before caching."""
        from compile_audit.lint.engine import lint_source

        project = self.project
        module = project.module_of(Path(path))
        if module is None:
            from compile_audit.analysis.paths import module_name

            module = module_name(Path(path), (self.root,))
        raw = data.encode("utf-8", "surrogateescape") if isinstance(data, str) else data
        key = str(Path(path).resolve())
        parsed = self.parsed.get(key) is not None and self.parsed[key] == hash(raw)
        with young_gc_only():
            result = lint_source(data, display or self.display(Path(path)),
                                 self.ruleset.rules_for(Path(path)) if rules is None else rules,
                                 project, module, self.types, python=self.python, parsed=parsed,
                                 words=self.parts.get(key, {}).get("words") if parsed else None)
        result.findings = [self.ruleset.severity(f) for f in result.findings]
        return result
