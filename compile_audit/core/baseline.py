"""Baselines: adopt compile-audit on a legacy codebase without fixing everything first.

``--write-baseline FILE`` records today's findings; ``--baseline FILE`` then reports only the
findings that are not in it. Findings match by rule, path and a fingerprint of the flagged code
(the text of the flagged line, whitespace-normalised, and of the flagged span), never by line
number: an edit above a finding moves it without resurrecting it. Identical findings in one
file are counted, so a second copy of a baselined pattern is reported. The same fingerprint is
SARIF's ``partialFingerprints``.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Iterable

from compile_audit.core.findings import Finding

VERSION = 1


class BaselineError(Exception):
    pass


def _normalise(text: str) -> str:
    return " ".join(text.split())


def fingerprints(findings: Iterable[Finding], sources: dict) -> list[str]:
    """One fingerprint per finding, in order: rule, path, flagged code, occurrence number."""
    seen: Counter = Counter()
    out = []
    for finding in findings:
        lines = sources.get(finding.path, {})
        flagged = _normalise(lines.get(finding.span.line, ""))
        key = f"{finding.code}\0{finding.path}\0{flagged}"
        seen[key] += 1
        out.append(hashlib.sha256(f"{key}\0{seen[key]}".encode()).hexdigest()[:32])
    return out


def write_json(path: Path, document: dict) -> None:
    """Write a committable JSON file whole or not at all (a temporary file moved over it)."""
    folder = path.parent if str(path.parent) else Path(".")
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as stream:
        stream.write(json.dumps(document, indent=2) + "\n")
    os.chmod(temporary, file_mode(path))  # mkstemp makes it 0600: a committed file is made like any other
    os.replace(temporary, path)


def file_mode(path: Path) -> int:
    """The mode a rewritten ``path`` keeps (its own), or a new file gets (0666 less the umask)."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def read_json(path: Path, what: str, entries: str, error: type[Exception]) -> dict:
    """A file :func:`write_json` wrote: version ``VERSION`` with a list under ``entries``;
    anything else raises ``error`` saying which ``what`` (``"baseline"``) it is not."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise error(f"cannot read the {what} {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise error(f"the {what} {path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get(entries), list):
        raise error(f"{path} is not a compile-audit {what} (version {VERSION})")
    return data


def write(path: Path, findings: list[Finding], sources: dict) -> None:
    entries = [
        {"code": f.code, "path": f.path, "fingerprint": fp, "message": f.message}
        for f, fp in zip(findings, fingerprints(findings, sources))
    ]
    write_json(path, {"version": VERSION, "tool": "compile-audit", "findings": entries})


def load(path: Path) -> Counter:
    data = read_json(path, "baseline", "findings", BaselineError)
    return Counter((e["code"], e["path"], e["fingerprint"]) for e in data["findings"])


def recorded(findings: list[Finding], sources: dict, baseline: Counter) -> list[bool]:
    """For each finding, whether the baseline records it."""
    remaining = Counter(baseline)
    out = []
    for finding, fp in zip(findings, fingerprints(findings, sources)):
        key = (finding.code, finding.path, fp)
        out.append(remaining[key] > 0)
        if out[-1]:
            remaining[key] -= 1
    return out


def filter_new(findings: list[Finding], sources: dict, baseline: Counter) -> tuple[list[Finding], int]:
    """The findings not in the baseline, and how many were in it."""
    known = recorded(findings, sources, baseline)
    return [f for f, k in zip(findings, known) if not k], sum(known)
