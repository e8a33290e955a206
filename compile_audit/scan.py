"""The static scan of a whole run: settings + paths -> files -> findings, in a stable order."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Optional, Sequence

from compile_audit import discovery
from compile_audit.config import Settings
from compile_audit.engine import FileResult, lint_file
from compile_audit.findings import FileError, Finding
from compile_audit.registry import select_rules
from compile_audit.rule import Rule


def installed_torch_version() -> Optional[str]:
    """The installed torch release, read from its metadata: torch is never imported here."""
    try:
        return metadata.version("torch").split("+")[0]
    except metadata.PackageNotFoundError:
        return None


@dataclass
class ScanResult:
    files: int = 0
    findings: list[Finding] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    #: path -> line -> text, for code frames
    sources: dict[str, dict[int, str]] = field(default_factory=dict)
    torch_version: Optional[str] = None
    #: set by the dynamic layer: one TargetResult per audit target
    targets: list = field(default_factory=list)
    dynamic: bool = False
    backend: str = "eager"
    device: str = "cpu"


def enabled_rules(settings: Settings, torch_version: Optional[str]) -> list[type[Rule]]:
    rules = select_rules(settings.select, settings.ignore, settings.extend_select)
    return [r for r in rules if r.applies_to_torch(torch_version)]


def _per_file_ignored(path: Path, settings: Settings) -> set[str]:
    codes: set[str] = set()
    for pattern, ignored in settings.per_file_ignores.items():
        if discovery.is_excluded(path, settings.root, [pattern]):
            codes.update(c.upper() for c in ignored)
    return codes


def rules_for(path: Path, settings: Settings, rules: list[type[Rule]]) -> list[type[Rule]]:
    ignored = _per_file_ignored(path, settings)
    return [r for r in rules if not any(r.code.startswith(i) for i in ignored)] if ignored else rules


def scan(
    paths: Sequence[Path],
    settings: Settings,
    cwd: Path,
    force_exclude: bool = False,
) -> ScanResult:
    torch_version = installed_torch_version()
    rules = enabled_rules(settings, torch_version)
    files = discovery.discover(paths, settings.root, [*settings.exclude, *settings.extend_exclude], force_exclude)
    result = ScanResult(files=len(files), torch_version=torch_version)
    for path in files:
        file_rules = rules_for(path, settings, rules)
        file_result: FileResult = lint_file(path, discovery.display_path(path, cwd), file_rules)
        if file_result.error is not None:
            result.errors.append(file_result.error)
        for finding in file_result.findings:
            if finding.code in settings.severity:
                finding.severity = settings.severity[finding.code]  # type: ignore[assignment]
        result.findings.extend(file_result.findings)
        if file_result.lines:
            result.sources[file_result.path] = file_result.lines
    result.findings.sort(key=Finding.sort_key)
    return result
