"""Inside a recorded program (``compile-audit record -- COMMAND``): snapshot the inputs of the
functions the static layer cares about, the first time each is called, and once more when it
is called with other shapes.

Installed by a ``sitecustomize`` the ``record`` command puts first on ``PYTHONPATH``. It wraps
nothing until a module of the spec's files finishes executing: then each wanted function or
method of it is replaced by a wrapper that records, then calls the original. The program's
behaviour, output and exit code are its own: a snapshot that fails is noted, never raised.

A snapshot is taken before the call (``copy.deepcopy`` of the arguments, ``self`` included),
so what the call mutates does not leak into it, and saved with ``torch.save`` in the spec's
folder. A class or function whose own name does not find it again (torch's ``SDPBackend``
says it is ``torch.nn.attention._SDPBackend``) is saved by the name it is reachable under.
Under Dynamo (``torch.compiler.is_compiling()``) nothing is recorded.
"""

from __future__ import annotations

import copy
import functools
import importlib
import importlib.abc
import json
import os
import pickle
import sys
import threading
import types

_STATE = {"spec": None, "done": {}, "lock": threading.Lock(), "active": True}


def _shapes(value):
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(value, torch.Tensor):
        return tuple(value.shape)
    if isinstance(value, (list, tuple)):
        return tuple(_shapes(v) for v in value)
    if isinstance(value, dict):
        return tuple((k, _shapes(v)) for k, v in sorted(value.items(), key=lambda kv: str(kv[0])))
    return None


def _detached(torch, value, memo=None, depth=0) -> dict:
    """A deepcopy memo that copies the tensors autograd made (which deepcopy refuses) as
    detached clones: the values the call received, without the graph that produced them."""
    memo = {} if memo is None else memo
    if depth > 4:
        return memo
    if isinstance(value, torch.Tensor):
        if not value.is_leaf and id(value) not in memo:
            memo[id(value)] = value.detach().clone()
    elif isinstance(value, (list, tuple)):
        for item in value:
            _detached(torch, item, memo, depth + 1)
    elif isinstance(value, dict):
        for item in value.values():
            _detached(torch, item, memo, depth + 1)
    return memo


def _reachable(obj) -> bool:
    module = sys.modules.get(getattr(obj, "__module__", None) or "")
    for part in (getattr(obj, "__qualname__", "") or "").split("."):
        module = getattr(module, part, None)
    return module is obj


def _alias(obj):
    """(module name, attribute) under which ``obj`` can be found again, or None."""
    home = getattr(obj, "__module__", None) or ""
    top = home.split(".")[0]
    candidates = [home, f"{top}._C"] + sorted(n for n in list(sys.modules) if n.split(".")[0] == top)
    for name in candidates:
        module = sys.modules.get(name)
        for attribute, value in list(getattr(module, "__dict__", {}).items()):
            if value is obj:
                return name, attribute
    return None


class _Pickler(pickle.Pickler):
    def reducer_override(self, obj):
        if isinstance(obj, types.ModuleType):
            return importlib.import_module, (obj.__name__,)
        if isinstance(obj, (type, types.FunctionType, types.BuiltinFunctionType)) and not _reachable(obj):
            found = _alias(obj)
            if found is not None:
                return getattr, (sys.modules[found[0]], found[1])
        return NotImplemented


class _PickleModule:
    """What ``torch.save(pickle_module=...)`` needs: ``pickle`` with the pickler above."""

    Pickler = _Pickler
    Unpickler = pickle.Unpickler
    __name__ = "pickle"

    def __getattr__(self, name):
        return getattr(pickle, name)


def _note(entry: dict) -> None:
    with open(os.path.join(_STATE["spec"]["folder"], "index.jsonl"), "a", encoding="utf-8") as stream:
        stream.write(json.dumps(entry) + "\n")


def _record(key: str, wanted: dict, args: tuple, kwargs: dict) -> None:
    torch = sys.modules.get("torch")
    if torch is None or torch.compiler.is_compiling():
        return
    shapes = _shapes((args[1:] if wanted["method"] else args, kwargs))
    with _STATE["lock"]:
        seen = _STATE["done"].setdefault(key, [])
        if len(seen) >= 2 or shapes in seen:
            return
        seen.append(shapes)
        call = len(seen)
    source = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0] or " ".join(sys.argv)[:200]
    entry = {"key": key, "call": call, "source": source, **wanted}
    try:
        _STATE["active"] = False  # the snapshot's own calls are not the program's
        snapshot = copy.deepcopy((args, kwargs), _detached(torch, (args, kwargs)))
        path = os.path.join(_STATE["spec"]["folder"], f"{key}.{call}.pt")
        torch.save({"args": snapshot[0], "kwargs": snapshot[1]}, path, pickle_module=_PickleModule())
        entry["snapshot"] = os.path.basename(path)
    except Exception as exc:  # noqa: BLE001 - noted, never raised into the program
        entry["error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
    finally:
        _STATE["active"] = True
    _note(entry)


def _wrap(fn, key: str, wanted: dict):
    torch = sys.modules.get("torch")
    # Dynamo folds this to True while it traces the wrapper, so a compiled caller sees only fn
    compiling = torch.compiler.is_compiling if torch is not None else (lambda: False)

    @functools.wraps(fn)
    def recording(*args, **kwargs):
        if not compiling() and _STATE["active"]:
            _record(key, wanted, args, kwargs)
        return fn(*args, **kwargs)

    recording.__compile_audit_recording__ = True
    return recording


def _patch(module) -> None:
    path = os.path.abspath(getattr(module, "__file__", "") or "")
    for wanted in _STATE["spec"]["functions"].get(path, []):
        owner = module
        if wanted["class"]:
            owner = getattr(module, wanted["class"], None)
        fn = owner.__dict__.get(wanted["name"]) if owner is not None else None
        if fn is None or not callable(fn) or getattr(fn, "__compile_audit_recording__", False):
            continue
        key = f"{os.path.basename(path)[:-3]}.{wanted['class'] + '.' if wanted['class'] else ''}{wanted['name']}"
        key = f"{key}.{abs(hash(path)) % 10**8}"
        setattr(owner, wanted["name"], _wrap(fn, key, {**wanted, "file": path, "module": module.__name__}))


class _Loader(importlib.abc.Loader):
    def __init__(self, loader) -> None:
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        self.loader.exec_module(module)
        try:
            _patch(module)
        except Exception:  # noqa: BLE001 - recording must never change the program
            pass

    def __getattr__(self, name):
        return getattr(self.loader, name)


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        for finder in sys.meta_path:
            if finder is self:
                continue
            find = getattr(finder, "find_spec", None)
            spec = find(name, path, target) if find else None
            if spec is not None:
                origin = os.path.abspath(spec.origin) if spec.origin else ""
                if origin in _STATE["spec"]["functions"] and spec.loader is not None:
                    spec.loader = _Loader(spec.loader)
                return spec
        return None


def install(spec_path: str) -> None:
    with open(spec_path, encoding="utf-8") as stream:
        _STATE["spec"] = json.load(stream)
    sys.meta_path.insert(0, _Finder())
    for module in list(sys.modules.values()):  # already imported (rare: sitecustomize runs first)
        if os.path.abspath(getattr(module, "__file__", "") or "") in _STATE["spec"]["functions"]:
            _patch(module)
