"""Synthesized audit targets, for projects that have none (best effort, labelled as such).

A module class of the scanned files gets a target when the runner can build it and call it
without help: its constructor takes no argument without a default, its ``forward`` takes one
required input, and that input's shape follows from the first layer ``__init__`` builds:

* ``nn.Linear(in, ...)``: a float tensor ``(2, in)``;
* ``nn.Embedding(n, ...)``: token ids in ``[0, n)``, shape ``(2, 8)``;
* ``nn.Conv1d/2d/3d(c, ...)``: a float tensor ``(1, c, 16[, 16[, 16]])``;
* ``nn.LayerNorm(d)``: a float tensor ``(2, 8, d)``.

The size is an integer literal or a constructor parameter's integer default. The file is
parsed here (``ast``), never imported: the worker imports it when the target runs.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import Optional, Sequence

from compile_audit.core import discovery
from compile_audit.dynamic.protocol import SynthSpec
from compile_audit.dynamic.targets import TargetRef

LABEL = "synthesized"
_MODULE_BASES = {"Module", "nn.Module", "torch.nn.Module"}


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _method(cls: ast.ClassDef, name: str) -> Optional[ast.FunctionDef]:
    return next((n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == name), None)


def _required(function: ast.FunctionDef) -> list[str]:
    """The parameters after ``self`` without a default (``*args``/``**kwargs`` count as none)."""
    args = function.args
    positional = [*args.posonlyargs, *args.args][1:]
    required = positional[: len(positional) - len(args.defaults)]
    keyword = [a for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is None]
    return [a.arg for a in [*required, *keyword]]


def _int_defaults(function: Optional[ast.FunctionDef]) -> dict[str, int]:
    if function is None:
        return {}
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    pairs = list(zip(positional[len(positional) - len(args.defaults):], args.defaults))
    pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
    return {a.arg: d.value for a, d in pairs
            if isinstance(d, ast.Constant) and isinstance(d.value, int) and not isinstance(d.value, bool)}


def _size(node: ast.AST, defaults: dict[str, int]) -> Optional[int]:
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value if node.value > 0 else None
    if isinstance(node, ast.Name):
        return defaults.get(node.id)
    return None


def _first_layer_input(init: Optional[ast.FunctionDef]) -> Optional[SynthSpec]:
    """The input the first layer ``__init__`` assigns to ``self`` takes, as an input spec."""
    if init is None:
        return None
    defaults = _int_defaults(init)
    for statement in init.body:
        if not (isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call)
                and any(isinstance(t, ast.Attribute) and _dotted(t.value) == "self" for t in statement.targets)):
            continue
        layer = _dotted(statement.value.func).rsplit(".", 1)[-1]
        size = _size(statement.value.args[0], defaults) if statement.value.args else None
        if size is None:
            continue
        if layer == "Linear":
            return SynthSpec("float", (2, size))
        if layer == "Embedding":
            return SynthSpec("long", (2, 8), high=size)
        if layer in ("Conv1d", "Conv2d", "Conv3d"):
            return SynthSpec("float", (1, size, *[16] * int(layer[4])))
        if layer == "LayerNorm":
            return SynthSpec("float", (2, 8, size))
    return None


def synthesize(files: Sequence[Path], cwd: Path) -> list[TargetRef]:
    """A target for each module class of ``files`` the runner can build and call unaided."""
    refs = []
    for path in files:
        try:
            tree = ast.parse(path.read_bytes(), filename=str(path))
        except (SyntaxError, ValueError, OSError):
            continue  # the static scan reports the file as CA901
        absolute = Path(os.path.abspath(path))
        shown = discovery.display_path(absolute, cwd)
        for node in tree.body:
            if not isinstance(node, ast.ClassDef) or not any(_dotted(b) in _MODULE_BASES for b in node.bases):
                continue
            init, forward = _method(node, "__init__"), _method(node, "forward")
            if forward is None or (init is not None and _required(init)) or len(_required(forward)) != 1:
                continue
            spec = _first_layer_input(init)
            if spec is None:
                continue
            refs.append(TargetRef(absolute, node.name, node.lineno, f"{shown}::{node.name} ({LABEL})",
                                  synthesized=spec))
    return refs
