"""Settings: ``[tool.compile-audit]`` in ``pyproject.toml`` (found upward from the working
directory), overridden by the command line. Configuration is data: it is parsed, never run."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Optional

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[no-redef]

from compile_audit.findings import SEVERITIES


class ConfigError(Exception):
    """A bad configuration: exit code 2, with this message."""


BACKENDS = ("eager", "aot_eager", "inductor")
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
    #: the directory of the config file (excludes and per-file-ignores are relative to it)
    root: Path = field(default_factory=Path.cwd)
    config_file: Optional[Path] = None

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
    known = {f.name.replace("_", "-") for f in fields(Settings)} - {"root", "config-file"}
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
        elif key == "jobs":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ConfigError(f"{where} must be a non-negative integer, got {value!r}")
            settings.jobs = value


def find_config(start: Path) -> Optional[Path]:
    for directory in [start, *start.parents]:
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if "compile-audit" in data.get("tool", {}):
                return candidate
    return None


def load(config_file: Optional[Path] = None, cwd: Optional[Path] = None) -> Settings:
    cwd = cwd or Path.cwd()
    path = config_file or find_config(cwd)
    settings = Settings(root=cwd)
    if path is None:
        return settings
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    table = data.get("tool", {}).get("compile-audit")
    if table is None:
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
