"""Settings: ``[tool.compile-audit]`` in ``pyproject.toml`` (found upward from the working
directory), overridden by the command line. Configuration is data: it is parsed, never run."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Optional

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[no-redef]

from compile_audit.core.findings import SEVERITIES
from compile_audit.report import FORMATS


class ConfigError(Exception):
    """A bad configuration: exit code 2, with this message."""


#: a torch release as ``target-torch`` and ``--target-torch`` take it
TORCH_RELEASE = re.compile(r"^\d+\.\d+(\.\d+)?$")


def check_version(text: str, where: str) -> str:
    """A ``target-torch`` value: ``2.14`` or ``2.14.1``."""
    value = str(text).strip()
    if not TORCH_RELEASE.match(value):
        raise ConfigError(f"{where} must be a torch release such as \"2.14\" or \"2.13.0\", got {text!r}")
    return value


BACKENDS = ("eager", "aot_eager", "inductor")
#: the output formats: the reporters' own list (``compile_audit.report.FORMATS``)
OUTPUT_FORMATS = tuple(FORMATS)
_BOOL_KEYS = ("confirm", "fix", "unsafe-fixes", "force-exclude", "respect-gitignore", "cache", "statistics",
              "synthesize",
              "show-source")
DEVICES = ("cpu", "cuda")


@dataclass
class Settings:
    select: Optional[list[str]] = None
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    extend_exclude: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    targets: list[str] = field(default_factory=list)
    backend: str = "eager"
    device: str = "cpu"
    timeout: float = 120.0
    jobs: int = 0  # 0: one per core
    #: how much each dynamic worker may grow after importing torch, in bytes (None: no cap)
    memory_limit: Optional[int] = None
    #: the baseline file (findings recorded in it are not reported; relative to the config's folder)
    baseline: Optional[str] = None
    #: the expected-metrics file ``--expected`` compares a ``--confirm`` run against (graphs,
    #: breaks and recompiles per target; relative to the config's folder)
    expected: Optional[str] = None
    #: the verdict file ``--save-verdicts`` writes and a static-only run reads (relative to the
    #: config's folder; default ``compile-audit.verdicts.json``)
    verdicts: Optional[str] = None
    #: what a CI job would otherwise spell on the command line
    output_format: str = "text"
    confirm: bool = False
    fix: bool = False
    unsafe_fixes: bool = False
    force_exclude: bool = False
    respect_gitignore: bool = True
    cache: bool = True
    statistics: bool = False
    show_source: bool = True
    #: with --confirm and no audit targets: synthesize targets for the module classes the
    #: runner can build unaided (``compile_audit.dynamic.synth``)
    synthesize: bool = True
    #: the torch release the static verdicts are for (``"2.14"``); None: the installed torch,
    #: else the project's pin, else the newest proven release (``compile_audit.core.torch_release``)
    target_torch: Optional[str] = None
    #: whether ``target_torch`` came from ``--target-torch`` (said in the report's header)
    target_torch_from_cli: bool = False
    #: the directory of the config file (excludes and per-file-ignores are relative to it)
    root: Path = field(default_factory=Path.cwd)
    config_file: Optional[Path] = None

    @property
    def workers(self) -> int:
        """How many processes ``jobs`` asks for (0: one per core)."""
        return self.jobs or os.cpu_count() or 1

    def path(self, value: str) -> Path:
        """A path written in the configuration: relative to the configuration file's folder."""
        return (self.root / value) if not Path(value).is_absolute() else Path(value)

    def as_dict(self) -> dict[str, Any]:
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name.replace("_", "-")] = str(value) if isinstance(value, Path) else value
        return out


_LIST_KEYS = ("select", "ignore", "extend-select", "exclude", "extend-exclude", "targets")


def _string_list(key: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"`{key}` must be a list of strings, got {value!r}")
    return list(value)


def _validate(table: dict[str, Any], settings: Settings, source: str) -> None:
    known = {f.name.replace("_", "-") for f in fields(Settings)} - {"root", "config-file", "target-torch-from-cli"}
    for key, value in table.items():
        where = f"{source}: [tool.compile-audit] {key}"
        if key not in known:
            raise ConfigError(f"{source}: unknown key `{key}` in [tool.compile-audit] (known: {', '.join(sorted(known))})")
        attr = key.replace("-", "_")
        if key in _LIST_KEYS:
            setattr(settings, attr, _string_list(where, value))
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise ConfigError(f"{where} must be a table of glob = [codes]")
            settings.per_file_ignores = {str(k): _string_list(f"{where}.{k}", v) for k, v in value.items()}
        elif key == "severity":
            if not isinstance(value, dict) or not all(v in SEVERITIES for v in value.values()):
                raise ConfigError(f"{where} must map codes to one of {', '.join(SEVERITIES)}")
            settings.severity = {str(k).upper(): v for k, v in value.items()}
        elif key == "backend":
            if value not in BACKENDS:
                raise ConfigError(f"{where} must be one of {', '.join(BACKENDS)}, got {value!r}")
            settings.backend = value
        elif key == "device":
            if value not in DEVICES:
                raise ConfigError(f"{where} must be one of {', '.join(DEVICES)}, got {value!r}")
            settings.device = value
        elif key == "timeout":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ConfigError(f"{where} must be a positive number of seconds, got {value!r}")
            settings.timeout = float(value)
        elif key == "memory-limit":
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ConfigError(f"{where} must be a positive number of bytes, got {value!r}")
            settings.memory_limit = value
        elif key in _BOOL_KEYS:
            if not isinstance(value, bool):
                raise ConfigError(f"{where} must be true or false, got {value!r}")
            setattr(settings, attr, value)
        elif key in ("baseline", "verdicts", "expected"):
            if not isinstance(value, str) or not value:
                raise ConfigError(f"{where} must be a file name, got {value!r}")
            setattr(settings, key, value)
        elif key == "output-format":
            if value not in OUTPUT_FORMATS:
                raise ConfigError(f"{where} must be one of {', '.join(OUTPUT_FORMATS)}, got {value!r}")
            settings.output_format = value
        elif key == "target-torch":
            settings.target_torch = check_version(value, where)
        elif key == "jobs":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ConfigError(f"{where} must be a non-negative integer, got {value!r}")
            settings.jobs = value


TABLE = "compile-audit"


def _read(path: Path, shown: str) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {shown}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{shown}: invalid TOML: {exc}") from None


def _near_miss(tool: Any, shown: str) -> None:
    """A ``[tool.compile_audit]`` (or another spelling close to ``compile-audit``) is a mistake
    to report, not a table to skip silently."""
    if not isinstance(tool, dict) or TABLE in tool:
        return
    import difflib

    wanted = TABLE.replace("-", "").replace("_", "")
    for key in tool:
        squashed = str(key).lower().replace("-", "").replace("_", "").replace(".", "")
        if squashed == wanted or difflib.SequenceMatcher(None, squashed, wanted).ratio() >= 0.85:
            raise ConfigError(f"{shown}: found [tool.{key}], which compile-audit does not read; "
                              f"did you mean [tool.{TABLE}]?")


def find_config(start: Path) -> Optional[Path]:
    """The nearest ``pyproject.toml`` upward from ``start`` with a ``[tool.compile-audit]``
    table. A ``pyproject.toml`` on the way that is not valid TOML, or that holds a misspelt
    table, is an error (never skipped for a parent folder's file)."""
    for directory in [start, *start.parents]:
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            shown = os.path.relpath(candidate, start)
            data = _read(candidate, shown)
            tool = data.get("tool", {})
            if isinstance(tool, dict) and TABLE in tool:
                return candidate
            _near_miss(tool, shown)
    return None


def load(config_file: Optional[Path] = None, cwd: Optional[Path] = None) -> Settings:
    cwd = cwd or Path.cwd()
    path = config_file or find_config(cwd)
    settings = Settings(root=cwd)
    if path is None:
        return settings
    data = _read(path, str(path))
    table = data.get("tool", {}).get(TABLE)
    if table is None:
        _near_miss(data.get("tool", {}), str(path))
        if config_file is not None:
            # an explicit file may also be a bare compile-audit.toml without the tool table
            table = {k: v for k, v in data.items() if k != "tool"}
        else:
            return settings
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.compile-audit] must be a table")
    _validate(table, settings, os.path.relpath(path, cwd))
    settings.root = path.parent.resolve()
    settings.config_file = path
    return settings
