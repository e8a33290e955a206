"""Audit targets recorded from the project's own tests and scripts (the parent side; no torch).

``compile-audit record -- COMMAND`` runs COMMAND unchanged, with ``compile_audit.dynamic.recorder``
installed in it (a ``sitecustomize`` first on ``PYTHONPATH``), after telling it which
functions to watch: every function or method that holds a static finding, and the ``forward``
of a module class that holds one. The snapshots land in the cache folder
(``.compile_audit_cache/recordings/``); ``scan --confirm`` and ``verify`` run them as targets
beside any ``audit_*`` ones, until the file they came from changes.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Optional, Sequence

from compile_audit.lint import cache

from compile_audit.core import discovery
from compile_audit.dynamic.protocol import Ambient, RecordedCall, RecordedSpec
from compile_audit.dynamic.targets import TargetRef

FOLDER = "recordings"


def _digest(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    except OSError:
        return ""


def _enclosing(tree: ast.Module, line: int) -> Optional[tuple[Optional[ast.ClassDef], ast.FunctionDef]]:
    """The top-level function, or the method of a top-level class, whose body holds ``line``."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.lineno <= line <= (node.end_lineno or node.lineno):
            return None, node
        if isinstance(node, ast.ClassDef) and node.lineno <= line <= (node.end_lineno or node.lineno):
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.lineno <= line <= (item.end_lineno or item.lineno):
                    return node, item
    return None


def entry_points(project) -> dict[str, set[str]]:
    """file -> the names (``Class`` or ``function``) the project compiles there, from the static
    layer's project index: ``torch.compile(Model())``, ``torch.compile(fn)``, ``@torch.compile``.
    A layer compiled only as part of its parent is reached through the parent's ``forward``."""
    out: dict[str, set[str]] = defaultdict(set)
    if project is None:
        return out
    files = {module: path for path, (module, _) in project.modules.items()}
    for qualified, where in project.compiled.items():
        if where.via:  # a layer, reached through its model's forward
            continue
        module, _, name = qualified.rpartition(".")
        while module and module not in files:  # a method: Class.method
            module, _, outer = module.rpartition(".")
            name = f"{outer}.{name}"
        if module:
            out[os.path.abspath(files[module])].add(name)
    return out


def _choose(chosen: dict, cls: Optional[ast.ClassDef], function: ast.FunctionDef) -> None:
    chosen[(cls.name if cls else None, function.name)] = {
        "class": cls.name if cls else None, "name": function.name, "line": function.lineno, "method": cls is not None}


def _forward_of(chosen: dict, cls: ast.ClassDef) -> None:
    forward = next((f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == "forward"), None)
    if forward is not None:
        _choose(chosen, cls, forward)


def wanted_functions(findings: Sequence, cwd: Path, project=None) -> dict[str, list[dict]]:
    """file -> the functions to record: the project's compile entry points (a compiled module's
    ``forward``, a compiled function), those holding a static finding, and ``forward`` of a
    class holding one (the module's entry point, which compiles the rest)."""
    lines_by_file: dict[str, set[int]] = defaultdict(set)
    for finding in findings:
        rule = finding.rule
        if rule is not None and rule.dynamic_only:
            continue
        lines_by_file[os.path.abspath(cwd / finding.path)].add(finding.span.line)
    entries = entry_points(project)
    out: dict[str, list[dict]] = {}
    for file in sorted(set(lines_by_file) | set(entries)):
        try:
            tree = ast.parse(Path(file).read_bytes(), filename=file)
        except (OSError, SyntaxError, ValueError):
            continue
        chosen: dict[tuple, dict] = {}
        choose = functools.partial(_choose, chosen)
        forward_of = functools.partial(_forward_of, chosen)
        for name in sorted(entries.get(file, ())):
            outer, _, inner = name.partition(".")
            node = next((n for n in tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))
                         and n.name == outer), None)
            if isinstance(node, ast.FunctionDef) and not inner:
                choose(None, node)
            elif isinstance(node, ast.ClassDef) and not inner:
                forward_of(node)
            elif isinstance(node, ast.ClassDef):
                method = next((f for f in node.body if isinstance(f, ast.FunctionDef) and f.name == inner), None)
                if method is not None:
                    choose(node, method)
        for line in sorted(lines_by_file.get(file, ())):
            found = _enclosing(tree, line)
            if found is None:
                continue
            cls, function = found
            choose(cls, function)
            if cls is not None:
                forward_of(cls)
        if chosen:
            out[file] = list(chosen.values())
    return out


def folder(root: Path) -> Optional[Path]:
    base = cache.prepare(root)
    return base / FOLDER if base is not None else None


RECORDER = Path(__file__).resolve().parent / "recorder.py"


def prepare(findings: Sequence, root: Path, cwd: Path, project=None) -> Path:
    """A fresh recordings folder and its spec (what to watch); returns the spec's path."""
    target = folder(root)
    if target is None:
        raise OSError(f"cannot create the cache folder under {root}")
    shutil.rmtree(target, ignore_errors=True)  # a new recording replaces the last one
    target.mkdir(parents=True)
    functions = wanted_functions(findings, cwd, project)
    lines: dict[str, set] = defaultdict(set)
    for finding in findings:
        lines[os.path.abspath(cwd / finding.path)].update(range(finding.span.line, finding.span.end_line + 1))
    spec = {"folder": str(target), "functions": functions, "digests": {f: _digest(f) for f in functions},
            "lines": {f: sorted(v) for f, v in lines.items() if f in functions}}
    (target / "spec.json").write_text(json.dumps(spec, indent=1))
    return target / "spec.json"


def load_recorder():
    """The recorder module, loaded by its path under a private name: the program does not see
    a ``compile_audit`` package it did not import (pytest would warn that it cannot rewrite it)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_compile_audit_recorder", RECORDER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def record(command: Sequence[str], findings: Sequence, root: Path, cwd: Path,
           project=None) -> tuple[int, list[RecordedCall]]:
    """Run ``command`` with the recorder installed; returns its exit code and the index entries."""
    spec_path = prepare(findings, root, cwd, project)
    target = spec_path.parent
    hook = Path(tempfile.mkdtemp(prefix="compile-audit-record-"))
    try:
        # the same loading as load_recorder(), in the program's own interpreter
        (hook / "sitecustomize.py").write_text(
            "import importlib.util as _util\n"
            f"_spec = _util.spec_from_file_location('_compile_audit_recorder', {str(RECORDER)!r})\n"
            "_module = _util.module_from_spec(_spec)\n"
            "_spec.loader.exec_module(_module)\n"
            f"_module.install({str(spec_path)!r})\n")
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(hook), env.get("PYTHONPATH")]))
        try:
            code = subprocess.run(list(command), cwd=cwd, env=env).returncode
        except OSError as exc:
            raise OSError(f"cannot run {command[0]}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(hook, ignore_errors=True)
    return code, load_index(target)


def load_index(target: Path) -> list[RecordedCall]:
    """The calls a recording saw (the recorder writes one ``RecordedCall`` line each)."""
    index = target / "index.jsonl"
    if not index.exists():
        return []
    return [RecordedCall.from_json(line) for line in index.read_text(encoding="utf-8").splitlines() if line.strip()]


def collect(root: Path, cwd: Path) -> list[TargetRef]:
    """The recorded targets whose source file has not changed since they were recorded."""
    base = root / cache.FOLDER / FOLDER
    if not (base / "spec.json").exists():
        return []
    spec = json.loads((base / "spec.json").read_text(encoding="utf-8"))
    calls: dict[tuple, dict[int, RecordedCall]] = defaultdict(dict)
    for entry in load_index(base):
        if entry.snapshot:
            calls[(entry.key, entry.variant)][entry.call] = entry
    refs = []
    for _key, by_call in sorted(calls.items()):
        first = by_call.get(1)
        if first is None or _digest(first.file) != spec["digests"].get(first.file):
            continue  # the code changed since: record again
        qualname = f"{first.cls}.{first.name}" if first.cls else first.name
        shown = discovery.display_path(Path(first.file), cwd)
        second = by_call.get(2)
        flags = f" with {first.flags}" if first.flags else ""
        ambient = Ambient.load(first.ambient)
        state = f"; under {ambient.describe()}" if ambient is not None and ambient.describe() else ""
        refs.append(TargetRef(
            Path(first.file), qualname, first.line,
            f"{shown}::{qualname} (recorded from {first.source}{flags}{state})",
            recorded=RecordedSpec(str(base / first.snapshot), first.module, first.cls, first.name,
                                  str(base / second.snapshot) if second else None, first.paths, ambient)))
    return refs


def summary(entries: list[RecordedCall], cwd: Path) -> list[str]:
    lines = []
    firsts = [e for e in entries if e.snapshot and e.call == 1]
    recorded = sorted({(e.key, e.source) for e in firsts if not e.variant})
    failed = [e for e in entries if e.error]
    seconds = {e.key for e in entries if e.snapshot and e.call == 2}
    variants = sorted((e.key, e.source, _variant_words(e)) for e in firsts if e.variant)
    lines.append(f"compile-audit: recorded {len(recorded)} function{'s' if len(recorded) != 1 else ''}"
                 f" ({len(seconds)} with a second call of other shapes"
                 + (f", {len(variants)} more call{'s' if len(variants) != 1 else ''} with other flags" if variants
                    else "") + ")")
    for key, source in recorded:
        lines.append(f"  recorded {key.rsplit('.', 1)[0]} from {source}")
    for key, source, flags in variants:
        lines.append(f"  recorded {key.rsplit('.', 1)[0]} {flags} from {source}")
    for entry in failed:
        lines.append(f"  could not snapshot {entry.key.rsplit('.', 1)[0]} from {entry.source}: {entry.error}")
    return lines


def _variant_words(entry: RecordedCall) -> str:
    """How a variant differs: its flags (``with causal=False``) or the state it ran in."""
    if entry.flags:
        return f"with {entry.flags}"
    ambient = Ambient.load(entry.ambient)
    return f"under {ambient.describe()}" if ambient is not None and ambient.describe() else "with other arguments"


def coverage(root: Path) -> Optional[dict]:
    """What the last recorded command ran (``coverage.PID.json``, written by the recorder at exit
    in each process that called a recorded function): ``lines`` (absolute file -> the watched
    lines that ran), ``called`` (function key -> calls), joined over the processes."""
    lines: dict[str, set] = defaultdict(set)
    called: dict[str, int] = defaultdict(int)
    traced, found = None, False
    for path in sorted((root / cache.FOLDER / FOLDER).glob("coverage.*.json")):
        try:
            part = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        found = True
        for file, seen in part.get("lines", {}).items():
            lines[file].update(seen)
        for key, count in part.get("called", {}).items():
            called[key] += count
        traced = part.get("traced_calls", traced)
    if not found:
        return None
    return {"lines": {f: sorted(v) for f, v in lines.items()}, "called": dict(called), "traced_calls": traced}


def why_unreached(finding, root: Path, cwd: Path, ran: Optional[dict]) -> Optional[str]:
    """For a finding no target reached: did its line run during the recorded command? "ran, not
    recorded" is a gap in the recorder; "never ran" a gap in the tests."""
    if ran is None:
        return None
    file = os.path.abspath(cwd / finding.path)
    seen = set(ran.get("lines", {}).get(file, ()))
    if not ran.get("lines") and not ran.get("called"):
        return None
    if seen & set(range(finding.span.line, finding.span.end_line + 1)):
        return ("its line ran during the recorded command, but no recorded call reached it under torch.compile "
                "(ran, not recorded: a gap in the recording)")
    return (f"its line never ran during the recorded command (in the first {ran.get('traced_calls', '')} traced "
            "calls of its function): no test reaches it")
