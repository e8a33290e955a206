"""Verdicts that outlive the run: Dynamo's word on each finding, kept in a committable file.

``scan --confirm --save-verdicts`` writes ``compile-audit.verdicts.json`` (or the file the
``verdicts`` setting names): for each finding a target gave a verdict, its status, GB code,
target and Dynamo's words, keyed like the baseline (rule, path, fingerprint of the flagged
code), and stamped with the torch release, backend and device they came from.

A later static-only run (the pre-commit hook, a CI job without torch) reads the file: a
finding whose key is in it takes its stored status, so one that Dynamo refuted does not fail
the gate, and one it confirmed says so. A finding whose flagged code changed no longer matches
its key and is ``static`` again until the next ``--confirm``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from compile_audit.core.baseline import VERSION, fingerprints, read_json, write_json
from compile_audit.core.findings import Finding

DEFAULT_FILE = "compile-audit.verdicts.json"
#: the statuses a verdict file keeps: what a target said of a static finding
KEPT = ("confirmed", "refuted", "untraced", "unreached")


class VerdictError(Exception):
    pass


@dataclass
class Verdicts:
    """A loaded verdict file."""

    path: Path
    torch: Optional[str]
    backend: str
    device: str
    #: (code, path, fingerprint) -> the stored entries (one per identical finding, in order)
    entries: dict = field(default_factory=dict)

    def describe(self) -> str:
        return f"torch {self.torch}, backend {self.backend}, device {self.device}"


def write(path: Path, findings: Sequence[Finding], sources: dict, *, torch: Optional[str], backend: str,
          device: str) -> int:
    """Record the verdicts of ``findings`` (those a target gave one) in ``path``; returns how many."""
    entries = []
    for finding, fingerprint in zip(findings, fingerprints(findings, sources)):
        if finding.status not in KEPT:
            continue
        entries.append({"code": finding.code, "path": finding.path, "fingerprint": fingerprint,
                        "status": finding.status, "gb_code": finding.gb_code, "target": finding.target,
                        "dynamo": finding.dynamo})
    write_json(path, {"version": VERSION, "tool": "compile-audit", "torch": torch, "backend": backend,
                      "device": device, "verdicts": entries})
    return len(entries)


def load(path: Path) -> Verdicts:
    data = read_json(path, "verdict file", "verdicts", VerdictError)
    entries: dict = defaultdict(list)
    for entry in data["verdicts"]:
        if not isinstance(entry, dict) or entry.get("status") not in KEPT:
            raise VerdictError(f"{path}: an entry is not a verdict: {entry!r}")
        entries[(entry["code"], entry["path"], entry["fingerprint"])].append(entry)
    return Verdicts(path, data.get("torch"), data.get("backend") or "eager", data.get("device") or "cpu",
                    dict(entries))


@dataclass
class Applied:
    """What a static-only run made of a verdict file."""

    applied: int = 0
    #: stored verdicts no finding of this run matches (the code changed, or the finding is gone)
    stale: list = field(default_factory=list)
    #: the findings, those with a stored verdict annotated with it
    findings: list = field(default_factory=list)


def apply(findings: Sequence[Finding], sources: dict, verdicts: Verdicts, shown: str) -> Applied:
    """The findings with the status the file stores for their key (new findings; the given ones
    are left as they are)."""
    remaining = {key: list(entries) for key, entries in verdicts.entries.items()}
    out = Applied()
    for finding, fingerprint in zip(findings, fingerprints(findings, sources)):
        stored = remaining.get((finding.code, finding.path, fingerprint))
        if finding.status != "static" or not stored:
            out.findings.append(finding)
            continue
        entry = stored.pop(0)
        said = entry.get("dynamo") or entry["status"]
        out.findings.append(finding.with_(
            status=entry["status"], gb_code=entry.get("gb_code") or finding.gb_code, target=entry.get("target"),
            dynamo=f"{said} (on {verdicts.describe()}, from {shown})", verdict_file=shown))
        out.applied += 1
    out.stale = [entry for entries in remaining.values() for entry in entries]
    return out
