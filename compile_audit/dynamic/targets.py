"""Collecting audit targets the way pytest collects tests, without importing anything.

Files named ``audit_*.py`` or ``*_audit.py`` under the target paths; in each, every
module-level ``def audit_*()`` that takes no arguments. The file is parsed (``ast``), never
imported, in the parent process: importing is the worker's job.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Sequence

from compile_audit.core import discovery
from compile_audit.dynamic.protocol import RecordedSpec, SynthSpec, TargetRequest


@dataclass(frozen=True)
class TargetRef:
    file: Path  # absolute
    function: str  # an audit_* function, or the class of a synthesized target
    line: int
    display: str  # "audits/audit_model.py::audit_block"
    #: a synthesized target (``compile_audit.dynamic.synth``): the input to build, else None
    synthesized: Optional[SynthSpec] = field(default=None, compare=False)
    #: a recorded target (``compile_audit.dynamic.recorded``): its snapshots, else None
    recorded: Optional[RecordedSpec] = field(default=None, compare=False)

    def request(self, index: int, *, backend: str, device: str,
                watch: Optional[dict[str, list[int]]] = None) -> TargetRequest:
        """What a worker needs to build and run the target: the one way a request is made
        (the runner's pool and the pytest plugin both call it)."""
        return TargetRequest(index, str(self.file), self.function, backend, device, dict(watch or {}),
                             self.recorded, self.synthesized)

    @property
    def display_file(self) -> str:
        return self.display.split("::", 1)[0]


def is_audit_file(path: Path) -> bool:
    name = path.name
    return name.endswith(".py") and (name.startswith("audit_") or name.endswith("_audit.py"))


def audit_functions(path: Path) -> list[tuple[str, int]]:
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (SyntaxError, ValueError, OSError):
        return []  # the static scan reports the file as CA901
    found = []  # (name, line) of each module-level ``def audit_*()`` that takes no arguments
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("audit_"):
            args = node.args
            takes_none = not (args.posonlyargs or args.args or args.vararg or args.kwonlyargs or args.kwarg)
            if takes_none and isinstance(node, ast.FunctionDef):
                found.append((node.name, node.lineno))
    return found


def collect(paths: Sequence[Path], root: Path, cwd: Path, exclude: Iterable[str] = ()) -> list[TargetRef]:
    explicit = {Path(os.path.abspath(p)) for p in paths if p.is_file()}
    files = [
        p for p in discovery.discover(paths, root, list(exclude))
        if is_audit_file(p) or Path(os.path.abspath(p)) in explicit
    ]
    refs = []
    for path in files:
        absolute = Path(os.path.abspath(path))
        display_file = discovery.display_path(absolute, cwd)
        for name, line in audit_functions(absolute):
            refs.append(TargetRef(absolute, name, line, f"{display_file}::{name}"))
    return refs
