"""Which torch release the static verdicts are for.

In order: ``--target-torch``; ``target-torch`` in ``[tool.compile-audit]``; the torch installed
beside compile-audit (read from its metadata, never imported); the project's own pin (a ``torch``
requirement in ``pyproject.toml`` or ``requirements*.txt`` beside the configuration); else the
newest release the rules are proven on. A range such as ``torch>=2.6`` stands for the newest
proven release it admits (what pip would install, as far as the proofs reach).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Optional

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[no-redef]

# check_version: a --target-torch value is checked as the configuration's target-torch is
from compile_audit.core.config import check_version as check_version
from compile_audit.proofs import proven_releases, release_key
from compile_audit.core.versions import version_matches

#: a ``torch`` requirement: its name, then the specifier up to an environment marker or comment
REQUIREMENT = re.compile(r"^\s*torch\s*(\[[^\]]*\])?\s*(?P<spec>(?:[<>=!~]=?|===)[^;#]*)", re.IGNORECASE)


@dataclass(frozen=True)
class TorchRelease:
    version: str
    #: where it came from, as said to the user
    source: str

    @property
    def proven(self) -> Optional[str]:
        """The proven release with the same minor version, if any."""
        minor = release_key(self.version)[:2]
        return next((r for r in reversed(proven_releases()) if release_key(r)[:2] == minor), None)

    def describe(self) -> str:
        """One line for the text report's header."""
        text = f"verdicts for torch {self.version} ({self.source})"
        proven = proven_releases()
        if self.proven is not None:
            return text
        newest = proven[-1] if proven else None
        if newest and release_key(self.version) > release_key(newest):
            return f"{text}: not a release the rules are proven on (newest proven: {newest}); rule ranges extrapolated"
        return f"{text}: not a release the rules are proven on (proven: {', '.join(proven)}); rule ranges extrapolated"


def installed() -> Optional[str]:
    """The installed torch release, from its metadata: torch is never imported here."""
    try:
        return metadata.version("torch").split("+")[0]
    except metadata.PackageNotFoundError:
        return None


def _pin_from_spec(spec: str) -> Optional[str]:
    """The release a requirement's specifier stands for: an exact pin, else the newest proven
    release it admits, else its lower bound."""
    spec = spec.strip().rstrip(",")
    exact = re.fullmatch(r"===?\s*([0-9][0-9.]*)(\.\*)?", spec)
    if exact:
        return exact.group(1).rstrip(".")
    clauses = [c.strip() for c in spec.split(",") if c.strip()]
    usable = []
    for clause in clauses:
        if clause.startswith("~="):
            version = clause[2:].strip()
            parts = version.split(".")
            usable += [f">={version}", f"<{'.'.join(parts[:-2] + [str(int(parts[-2]) + 1)])}" if len(parts) > 1 else ""]
        elif re.match(r"^(>=|<=|==|!=|>|<)\s*[0-9]", clause) and "*" not in clause:
            usable.append(clause)
    usable = [u for u in usable if u]
    if not usable:
        return None
    joined = ",".join(usable)
    admitted = [r for r in proven_releases() if version_matches(r, joined)]
    if admitted:
        return admitted[-1]
    lower = [c for c in usable if c.startswith((">=", "=="))]
    return re.sub(r"^[<>=!]+\s*", "", lower[0]) if lower else None


def _requirements_pin(path: Path) -> Optional[str]:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    for line in lines:
        match = REQUIREMENT.match(line)
        if match:
            return _pin_from_spec(match.group("spec"))
    return None


def _pyproject_pin(path: Path) -> Optional[str]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    project = data.get("project") or {}
    groups = [project.get("dependencies") or []]
    groups += list((project.get("optional-dependencies") or {}).values())
    groups += list((data.get("dependency-groups") or {}).values())
    for group in groups:
        for requirement in group if isinstance(group, list) else []:
            if isinstance(requirement, str):
                match = REQUIREMENT.match(requirement)
                if match:
                    return _pin_from_spec(match.group("spec"))
    return None


def project_pin(root: Path) -> Optional[tuple[str, str]]:
    """The torch release the project pins, and the file that says so."""
    candidates = [root / "pyproject.toml", *sorted(root.glob("requirements*.txt")),
                  *sorted(root.glob("requirements/*.txt"))]
    for path in candidates:
        if not path.is_file():
            continue
        pin = _pyproject_pin(path) if path.name == "pyproject.toml" else _requirements_pin(path)
        if pin:
            return pin, path.name if path.parent == root else f"{path.parent.name}/{path.name}"
    return None


def requires_python(root: Path) -> Optional[tuple[int, int]]:
    """The oldest Python the project supports, from ``requires-python`` in its ``pyproject.toml``
    (``">=3.12"`` -> ``(3, 12)``); None when it does not say."""
    try:
        data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None
    spec = (data.get("project") or {}).get("requires-python")
    if not isinstance(spec, str):
        return None
    found = re.search(r"(?:>=|~=|==)\s*3\.(\d+)", spec)
    return (3, int(found.group(1))) if found else None


def resolve(option: Optional[str], configured: Optional[str], root: Path,
            installed_version: Optional[str] = None, look_installed: bool = True) -> TorchRelease:
    """The release the findings are for (see the module's docstring for the order)."""
    if option:
        return TorchRelease(option, "--target-torch")
    if configured:
        return TorchRelease(configured, "target-torch in the configuration")
    found = installed_version if installed_version is not None else (installed() if look_installed else None)
    if found:
        return TorchRelease(found, "installed")
    pin = project_pin(root)
    if pin:
        return TorchRelease(pin[0], f"pinned in {pin[1]}")
    proven = proven_releases()
    return TorchRelease(proven[-1] if proven else "2.13.0", "no torch installed or pinned: the newest proven release assumed")


def default_release() -> str:
    """The release assumed where nothing is known (a file linted alone, the rule examples)."""
    proven = proven_releases()
    return proven[-1] if proven else "2.13.0"
