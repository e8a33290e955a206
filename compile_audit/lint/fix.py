"""Fixes: the codemods rules attach to findings, applied with libcst so that formatting and
comments survive, and written so that a user's file is never lost or corrupted.

A rule reports ``fix=Edit(safe, {original_node: replacement})`` (``compile_audit.lint.edits``, the
vocabulary rules describe fixes in; this module is the driver that applies them, above the
engine and the scan, and nothing below it imports it). ``fix_text`` applies every
selected edit of a file in one transformer pass, parses the result again and repeats (a fix
can reveal or enable another) until nothing changes, at most ``MAX_PASSES`` times. A pass whose
result does not parse, as libcst and as CPython, is dropped. ``write_atomic`` writes through a
temporary file in the same folder and ``os.replace``, keeping the file's mode, encoding, BOM
and line endings, and refuses when the file changed on disk since it was read.
"""

from __future__ import annotations

import ast
import difflib
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Sequence, Union

import libcst as cst

from compile_audit.core.baseline import recorded
from compile_audit.lint.engine import lint_source
from compile_audit.core.source import SourceError, decode

MAX_PASSES = 10


class _Apply(cst.CSTTransformer):
    def __init__(self, replacements: dict) -> None:
        super().__init__()
        self.replacements = replacements

    def on_leave(self, original_node, updated_node):
        if original_node in self.replacements:
            return self.replacements[original_node]
        return updated_node


def _parses(text: str) -> bool:
    try:
        cst.parse_module(text)
        compile(text, "<fixed>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except (cst.ParserSyntaxError, SyntaxError, ValueError, RecursionError):
        return False
    return True


@dataclass
class FixOutcome:
    text: str
    applied: int = 0
    #: why a pass was dropped, if one was
    problem: Optional[str] = None


def fix_text(text: str, path: str, lint: Union[Callable[[str], object], Sequence[type]], unsafe: bool,
             baseline=None) -> FixOutcome:
    """Apply the fixes of the findings ``lint`` makes of ``text`` until none is left to apply.
    ``lint`` lints a text as the file ``path`` (a session's ``lint_buffer``: the fix pass sees the
    findings the scan reported), or is a list of rules to run on the text alone. With a
    ``baseline`` (``compile_audit.core.baseline.load``), the findings it records are left alone."""
    if not callable(lint):
        rules = lint
        lint = lambda source: lint_source(source, path, rules)  # noqa: E731
    outcome = FixOutcome(text)
    for _ in range(MAX_PASSES):
        result = lint(outcome.text)
        findings = result.findings
        if baseline:
            lines = {path: dict(enumerate(outcome.text.splitlines(), 1))}
            findings = [f for f, known in zip(findings, recorded(findings, lines, baseline)) if not known]
        edits = []
        for finding in findings:
            edit = finding.edit
            if edit is not None and (edit.safe or unsafe) and edit not in edits:
                edits.append(edit)
        if not edits or result.module is None:
            break
        replacements: dict = {}
        for edit in edits:
            replacements.update(edit.replacements)
        new_text = result.module.visit(_Apply(replacements)).code
        if new_text == outcome.text:
            break
        if not _parses(new_text):
            outcome.problem = "a fix produced code that does not parse; it was not applied"
            break
        outcome.text = new_text
        outcome.applied += len(edits)
    return outcome


def apply_edit(module, edit) -> Optional[str]:
    """The text of ``module`` (a lint result's parsed module) with one finding's ``edit``
    applied, or None when the result would not parse (an editor's code action)."""
    text = module.visit(_Apply(dict(edit.replacements))).code
    return text if _parses(text) else None


def unified_diff(path: str, before: str, after: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True), after.splitlines(keepends=True), fromfile=f"a/{path}", tofile=f"b/{path}"
        )
    )


class WriteRefused(Exception):
    pass


def write_atomic(path: Path, original: bytes, text: str, encoding: str) -> None:
    """Replace ``path``'s content with ``text`` unless it changed since ``original`` was read.

    The new content goes to a temporary file beside it (same file system), gets the old file's
    permission bits, and is moved over the old one with ``os.replace``: a crash at any point
    leaves either the old file or the new one, never half of each."""
    try:
        current = path.read_bytes()
    except OSError as exc:
        raise WriteRefused(f"cannot read it again: {exc.strerror or exc}") from None
    if current != original:
        raise WriteRefused("it changed on disk since it was read; left alone")
    if not path.stat().st_mode & 0o222 or not os.access(path, os.W_OK):
        raise WriteRefused("it is read-only; left alone")  # mode bits: root ignores os.access
    data = text.encode(encoding)
    if encoding.lower().replace("_", "-") == "utf-8-sig" and not data.startswith(b"\xef\xbb\xbf"):
        data = b"\xef\xbb\xbf" + data
    mode = path.stat().st_mode
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".compile-audit", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


@dataclass
class FixReport:
    fixed: int = 0
    files_changed: list = field(default_factory=list)
    diffs: list = field(default_factory=list)
    problems: list = field(default_factory=list)


def fix_files(session, paths: Sequence[Path], unsafe: bool, write: bool, baseline=None) -> FixReport:
    """Fix each file through the session's lint (``compile_audit.lint.session.Session``): write it
    (``write``) or only compute its diff; leave the findings the ``baseline`` records alone."""
    report = FixReport()
    for path in paths:
        shown = session.display(path)
        try:
            original = path.read_bytes()
            source = decode(original)
        except (OSError, SourceError) as exc:
            report.problems.append(f"{shown}: not fixed: {getattr(exc, 'message', None) or exc}")
            continue
        outcome = fix_text(source.text, shown, lambda text, path=path, shown=shown: session.lint_buffer(path, text, shown),
                           unsafe, baseline)
        if outcome.problem:
            report.problems.append(f"{shown}: {outcome.problem}")
        if outcome.text == source.text:
            continue
        if not write:
            report.diffs.append(unified_diff(shown, source.text, outcome.text))
            report.fixed += outcome.applied
            continue
        try:
            write_atomic(path, original, outcome.text, source.encoding)
        except (WriteRefused, OSError) as exc:
            report.problems.append(f"{shown}: not fixed: {exc}")
            continue
        report.fixed += outcome.applied
        report.files_changed.append(shown)
    return report
