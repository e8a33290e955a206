"""The scan cache: an unchanged file is not parsed again.

Entries are keyed by a hash of the file's content, the tool version and the state of its own
source files (so a changed rule in a development checkout misses too), the file's display path
and the rule set that applies to it (so any settings change that changes the rules misses),
never by modification time, which a CI checkout resets. They live in ``.compile_audit_cache/``
beside the configuration (or in the working directory), a folder marked with ``CACHEDIR.TAG``
and a ``.gitignore`` that ignores everything in it. Entries are written atomically; a corrupt
or unreadable entry is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Optional

from compile_audit import __version__
from compile_audit.core.findings import FileError, Finding, Fix, Impact, Span

FOLDER = ".compile_audit_cache"
TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by compile-audit.\n"


def prepare(root: Path) -> Optional[Path]:
    folder = root / FOLDER
    try:
        folder.mkdir(exist_ok=True)
        tag = folder / "CACHEDIR.TAG"
        if not tag.exists():
            tag.write_text(TAG)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# created by compile-audit\n*\n")
    except OSError:
        return None  # a read-only tree: scan without a cache
    return folder


_TOOL: Optional[bytes] = None


def tool_digest() -> bytes:
    """The version and the size and modification time of every source file of the tool (its
    package and its rules), computed once per process: an edited rule invalidates the cache."""
    global _TOOL
    if _TOOL is None:
        import compile_audit
        import compile_audit.rules as rules

        digest = hashlib.sha256(__version__.encode())
        for folder in sorted({Path(compile_audit.__file__).parent, Path(rules.__file__).parent}):
            for path in sorted(folder.rglob("*.py")):
                try:
                    stat = path.stat()
                except OSError:
                    continue
                digest.update(f"{path.relative_to(folder)}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
        _TOOL = digest.hexdigest().encode()
    return _TOOL


def key(data: bytes, display: str, codes: list[str]) -> str:
    digest = hashlib.sha256()
    for part in (tool_digest(), display.encode(), ",".join(codes).encode(), data):
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()


def _entry_path(folder: Path, entry: str) -> Path:
    return folder / __version__ / entry[:2] / f"{entry}.json"


def load(folder: Path, entry: str) -> Optional[dict]:
    try:
        return json.loads(_entry_path(folder, entry).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def store(folder: Path, entry: str, value: dict) -> None:
    path = _entry_path(folder, entry)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            json.dump(value, stream)
        os.replace(temporary, path)
    except OSError:
        pass  # a cache that cannot be written only costs time


def encode(findings: list[Finding], lines: dict, error: Optional[FileError]) -> dict:
    return {
        "findings": [
            {"code": f.code, "name": f.name, "severity": f.severity, "path": f.path,
             "span": [f.span.line, f.span.column, f.span.end_line, f.span.end_column],
             "message": f.message, "gb_code": f.gb_code, "evidence": f.evidence,
             "fix": None if f.fix is None else f.fix.safe,
             "impact": None if f.impact is None else [f.impact.weight, f.impact.why]}
            for f in findings
        ],
        "lines": {str(k): v for k, v in lines.items()},
        "error": None if error is None else [error.path, error.message],
    }


def decode(value: dict) -> tuple[list[Finding], dict, Optional[FileError]]:
    findings = [
        Finding(code=f["code"], name=f["name"], severity=f["severity"], path=f["path"], span=Span(*f["span"]),
                message=f["message"], gb_code=f["gb_code"], fix=None if f["fix"] is None else Fix(f["fix"]),
                evidence=f.get("evidence"), impact=Impact(*f["impact"]) if f.get("impact") else None)
        for f in value["findings"]
    ]
    lines = {int(k): v for k, v in value["lines"].items()}
    error = None if value["error"] is None else FileError(*value["error"])
    return findings, lines, error
