"""Paths -> the Python files to scan, in a stable order.

Skips version control, virtual environments, build and cache folders; honours ``exclude`` /
``extend-exclude`` globs (relative to the configuration's directory, matched against the
whole relative path, any of its parent folders, or the file name). Symbolic links to folders
are not followed, so a link loop or a link out of the tree is never walked.
"""

from __future__ import annotations

import os
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath
from typing import Iterable, Optional, Sequence

SKIP_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", ".bzr", "__pycache__", ".venv", "venv", ".env", ".tox", ".nox",
        ".mypy_cache", ".pytest_cache", ".ruff_cache", ".compile_audit_cache", ".hypothesis",
        "node_modules", "build", "dist", ".eggs", "site-packages", ".ipynb_checkpoints",
        "__pypackages__", ".direnv",
    }
)
PYTHON_SUFFIXES = (".py",)


class PathError(Exception):
    """An input path that does not exist or cannot be read (exit code 2)."""


def display_path(path: Path, cwd: Path) -> str:
    """Relative to the working directory, with '/' separators; symbolic links are shown as
    given, not resolved."""
    absolute, base = os.path.abspath(path), os.path.abspath(cwd)
    try:
        return Path(absolute).relative_to(base).as_posix()
    except ValueError:
        try:
            return Path(os.path.realpath(path)).relative_to(os.path.realpath(cwd)).as_posix()
        except ValueError:
            return os.path.relpath(absolute, base).replace(os.sep, "/")


def is_excluded(path: Path, root: Path, patterns: Sequence[str]) -> bool:
    if not patterns:
        return False
    try:
        rel = PurePosixPath(path.resolve().relative_to(root.resolve()).as_posix())
    except ValueError:
        rel = PurePosixPath(path.name)
    candidates = [str(rel), *(str(parent) for parent in rel.parents if str(parent) != "."), rel.name]
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if pattern.startswith("./"):
            pattern = pattern[2:]
        for candidate in candidates:
            if fnmatchcase(candidate, pattern) or (candidate == rel.name and fnmatchcase(candidate, pattern)):
                return True
    return False


def _skip_dir(directory: Path) -> bool:
    name = directory.name
    return name in SKIP_DIRS or name.endswith(".egg-info") or (directory / "pyvenv.cfg").exists()


def skipped_by_default() -> list[str]:
    """The folders a scan never walks into (named explicitly, a file in them is still scanned)."""
    return [*sorted(SKIP_DIRS), "*.egg-info", "any folder holding a pyvenv.cfg (a virtual environment)"]


def _outside(candidate: Path, tree: Path) -> bool:
    try:
        candidate.resolve().relative_to(tree.resolve())
        return False
    except (ValueError, OSError, RuntimeError):
        return True


def discover(
    paths: Iterable[Path],
    root: Path,
    exclude: Sequence[str] = (),
    force_exclude: bool = False,
    follow_symlinks: bool = False,
    respect_gitignore: bool = False,
    missing: Optional[list] = None,
) -> list[Path]:
    """The files to scan. A path that does not exist raises ``PathError``, or, given a
    ``missing`` list, is added to it as ``(path, message)`` and the others are scanned (as ruff
    reports a missing path, scans the rest and exits 2). A path given explicitly is scanned even when excluded unless
    ``force_exclude`` (as ruff's ``--force-exclude``, which pre-commit hooks use). Inside a
    folder, symbolic links are followed only with ``follow_symlinks``: a link to a folder is
    never walked otherwise (no loops), and a link to a file outside the folder is skipped.
    With ``respect_gitignore``, files git ignores (``.gitignore``, ``.git/info/exclude``, the
    global excludes file) are skipped inside folders, as ruff does; explicit files are kept
    unless ``force_exclude``."""
    if missing is not None:
        kept = []
        for given in paths:
            problem = _unusable(given)
            if problem:
                missing.append((given, problem))
            else:
                kept.append(given)
        paths = kept
    found = _discover(paths, root, exclude, force_exclude, follow_symlinks)
    if respect_gitignore and found:
        # what the user names is scanned: a file given explicitly (unless --force-exclude), and
        # everything under a folder given explicitly that git ignores as a whole (a vendored
        # tree, a corpus checked out inside another repository)
        given = [p for p in paths if p.is_dir()]
        ignored_roots = [os.path.abspath(d) for d in git_ignored(given)] if given else []
        explicit = {p for p in paths if p.is_file()} if not force_exclude else set()
        candidates = [p for p in found if p not in explicit and not _under(p, ignored_roots)]
        ignored = git_ignored(candidates)
        found = [p for p in found if p not in ignored]
    return found


def _under(path: Path, folders: list) -> bool:
    absolute = os.path.abspath(path)
    return any(absolute.startswith(folder.rstrip(os.sep) + os.sep) for folder in folders)


def git_ignored(files: Sequence[Path]) -> set[Path]:
    """The files git would ignore, asked of ``git check-ignore`` once per repository (no git,
    or files outside a repository: nothing is ignored)."""
    import subprocess

    by_folder: dict[str, list[Path]] = {}
    for path in files:
        absolute = os.path.abspath(path)
        by_folder.setdefault(absolute if os.path.isdir(absolute) else os.path.dirname(absolute), []).append(path)
    ignored: set[Path] = set()
    repos: dict[str, list[Path]] = {}
    for folder, members in by_folder.items():
        top = _git_top(folder)
        if top is not None:
            repos.setdefault(top, []).extend(members)
    for top, members in repos.items():
        names = {os.path.abspath(p): p for p in members}
        try:
            proc = subprocess.run(["git", "-C", top, "check-ignore", "--no-index", "--stdin", "-z"],
                                  input="\0".join(names).encode() + b"\0", capture_output=True, timeout=60)
        except (OSError, subprocess.SubprocessError):
            continue
        if proc.returncode not in (0, 1):
            continue
        for name in proc.stdout.decode(errors="surrogateescape").split("\0"):
            if name in names:
                ignored.add(names[name])
    return ignored


def _git_top(folder: str):
    """The work tree of the git repository holding ``folder`` (found by its ``.git``), or None."""
    current = folder
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def _unusable(given: Path) -> str:
    """Why ``given`` cannot be scanned ('' when it can)."""
    if not given.exists() and not given.is_symlink():
        return "no such file or directory"
    if not given.is_file() and not given.is_dir():
        return "not a file or directory"
    return ""


def _discover(paths, root, exclude, force_exclude, follow_symlinks) -> list[Path]:
    found: dict[Path, None] = {}
    for given in paths:
        problem = _unusable(given)
        if problem:
            raise PathError(f"{given}: {problem}")
        if given.is_file():
            if force_exclude and is_excluded(given, root, exclude):
                continue
            found[given] = None
            continue
        if force_exclude and is_excluded(given, root, exclude):
            continue
        seen_dirs: set = set()
        for dirpath, dirnames, filenames in os.walk(given, followlinks=follow_symlinks):
            here = Path(dirpath)
            if follow_symlinks:  # a link loop: each real folder once
                real = os.path.realpath(here)
                if real in seen_dirs:
                    dirnames[:] = []
                    continue
                seen_dirs.add(real)
            dirnames[:] = sorted(
                d for d in dirnames if not _skip_dir(here / d) and not is_excluded(here / d, root, exclude)
            )
            for filename in sorted(filenames):
                if filename.endswith(PYTHON_SUFFIXES):
                    candidate = here / filename
                    if candidate.is_symlink() and not follow_symlinks and _outside(candidate, given):
                        continue
                    if not is_excluded(candidate, root, exclude):
                        found[candidate] = None
    return list(found)

