"""Inside a recorded program (``compile-audit record -- COMMAND``): snapshot the inputs of the
functions the static layer cares about, the first time each is called, and once more when it
is called with other shapes; a call with other flags (the Python scalars among its arguments:
``return_segmented_seq=True``) is a variant of its own, recorded the same way.

Installed by a ``sitecustomize`` the ``record`` command puts first on ``PYTHONPATH``. It wraps
nothing until a module of the spec's files finishes executing: then each wanted function or
method of it is replaced by a wrapper that records, then calls the original. The program's
behaviour, output and exit code are its own: a snapshot that fails is noted, never raised.

A snapshot is taken before the call (``copy.deepcopy`` of the arguments, ``self`` included),
so what the call mutates does not leak into it, and saved with ``torch.save`` in the spec's
folder, with cloudpickle's pickler where it is installed (the ``dynamic`` extra has it): a
lambda or a closure a module keeps (``self.mask_fn = lambda ...``) is saved by value. A class or
function whose own name does not find it again (torch's ``SDPBackend`` says it is
``torch.nn.attention._SDPBackend``) is saved by the name it is reachable under. The entries of
``sys.path`` inside the working folder (pytest's ``rootdir/tests``) are kept with the snapshot,
so a class the tests define imports again where the target runs.
Under Dynamo (``torch.compiler.is_compiling()``) nothing is recorded. Each call seen is one
``RecordedCall`` line of the folder's ``index.jsonl``; ``protocol.py`` (a leaf: the standard
library only) is loaded by its path, under a private name too.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import importlib
import importlib.abc
import importlib.util
import json
import os
import pickle
import sys
import threading
import types
from typing import Optional

_STATE = {"spec": None, "done": {}, "lock": threading.Lock(), "active": True, "seen": {}, "called": {}}


def _load_protocol():
    name = "_compile_audit_protocol"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, os.path.join(os.path.dirname(__file__), "protocol.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
    return sys.modules[name]


RecordedCall = _load_protocol().RecordedCall
Ambient = _load_protocol().Ambient

#: Dynamo settings a project may set whose values are simple enough to carry to the replay
_SIMPLE = (bool, int, float, str, type(None))


def _dynamo_settings(torch) -> tuple:
    """The ``torch._dynamo.config`` settings that differ from their defaults (when the program
    imported Dynamo; its config module keeps each setting's default)."""
    if "torch._dynamo.config" not in sys.modules:
        return ()
    config = sys.modules["torch._dynamo.config"]
    entries = getattr(config, "_config", None)
    if not isinstance(entries, dict):
        return ()
    import warnings

    changed = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # reading a deprecated setting warns: not the program's warning
        for name, entry in entries.items():
            default = getattr(entry, "default", None)
            try:
                value = getattr(config, name)
            except Exception:  # noqa: BLE001 - an alias that cannot be read is not a setting
                continue
            if isinstance(value, _SIMPLE) and isinstance(default, _SIMPLE) and value != default:
                changed.append((name, value))
    return tuple(sorted(changed))


def _state_key(torch) -> tuple:
    """The part of the state that picks a path through the code, cheap enough for every call."""
    autocast = []
    for device in ("cpu", "cuda"):
        try:
            if torch.is_autocast_enabled(device):
                autocast.append((device, torch.get_autocast_dtype(device)))
        except Exception:  # noqa: BLE001 - an older torch, a device it does not know
            continue
    return (torch.is_grad_enabled(), torch.is_inference_mode_enabled(), tuple(autocast), torch.get_default_dtype(),
            torch.are_deterministic_algorithms_enabled())


def _ambient(torch):
    """The state torch is in around this call (``protocol.Ambient``)."""
    autocast = []
    for device in ("cpu", "cuda"):
        try:
            if torch.is_autocast_enabled(device):
                autocast.append((device, str(torch.get_autocast_dtype(device)).replace("torch.", "")))
        except Exception:  # noqa: BLE001 - an older torch, a device it does not know
            continue
    get_device = getattr(torch, "get_default_device", None)
    return Ambient(
        grad=torch.is_grad_enabled(),
        inference_mode=torch.is_inference_mode_enabled(),
        autocast=tuple(autocast),
        default_dtype=str(torch.get_default_dtype()).replace("torch.", ""),
        default_device=str(get_device()) if get_device is not None else "cpu",
        deterministic=torch.are_deterministic_algorithms_enabled(),
        dynamo=_dynamo_settings(torch),
    )


def _importing() -> bool:
    """Whether the call is made while a module is being imported (a decorator factory, a
    module-level constant): not a call of the program's tests, not worth a target. Under pytest,
    calls outside a test (collection, conftest imports) are left out the same way.

    A module frame counts only while its module is initializing: code run by ``exec`` (the
    loop of a pytest-xdist worker, which execnet runs as ``__channelexec__``) is not an import."""
    if "_pytest" in sys.modules and not os.environ.get("PYTEST_CURRENT_TEST"):
        return True
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_name == "<module>":
            module = sys.modules.get(frame.f_globals.get("__name__", ""))
            if module is not None and getattr(getattr(module, "__spec__", None), "_initializing", False):
                return True
        frame = frame.f_back
    return False


def _source() -> str:
    """The test that made the call (pytest's node id), else the command, its paths relative to
    the working folder."""
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" (", 1)[0]
    if test:
        return test
    here = os.getcwd()
    words = []
    for word in sys.argv:
        absolute = os.path.abspath(word) if os.path.exists(word) else None
        words.append(os.path.relpath(absolute, here) if absolute and absolute.startswith(here + os.sep) else word)
    return " ".join(words)[:200]


def _shapes(value):
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(value, torch.Tensor):
        return tuple(value.shape)
    if isinstance(value, (list, tuple)):
        return tuple(_shapes(v) for v in value)
    if isinstance(value, dict):
        return tuple((k, _shapes(v)) for k, v in sorted(value.items(), key=lambda kv: str(kv[0])))
    return None


def _detached(torch, value, memo=None, depth=0, seen=None) -> dict:
    """A deepcopy memo that copies the tensors autograd made (which deepcopy refuses) as
    detached clones: the values the call received, without the graph that produced them. It
    looks through containers and the attributes of objects (a module's cached tensors too)."""
    memo = {} if memo is None else memo
    seen = set() if seen is None else seen
    if depth > 8 or id(value) in seen:
        return memo
    seen.add(id(value))
    if isinstance(value, torch.Tensor):
        if not value.is_leaf and id(value) not in memo:
            memo[id(value)] = value.detach().clone()
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            _detached(torch, item, memo, depth + 1, seen)
    elif isinstance(value, dict):
        for item in value.values():
            _detached(torch, item, memo, depth + 1, seen)
    elif hasattr(value, "__dict__") and not isinstance(value, type):
        for item in vars(value).values():
            _detached(torch, item, memo, depth + 1, seen)
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


try:
    import cloudpickle

    _Base = cloudpickle.Pickler
except ImportError:  # the recording still works, without lambdas and closures
    _Base = pickle.Pickler


class _Pickler(_Base):
    def reducer_override(self, obj):
        if isinstance(obj, types.ModuleType):
            return importlib.import_module, (obj.__name__,)
        if isinstance(obj, (type, types.FunctionType, types.BuiltinFunctionType)) and not _reachable(obj):
            found = _alias(obj)
            if found is not None:
                return getattr, (sys.modules[found[0]], found[1])
        parent = getattr(super(), "reducer_override", None)
        return parent(obj) if parent is not None else NotImplemented


class _PickleModule:
    """What ``torch.save(pickle_module=...)`` needs: ``pickle`` with the pickler above."""

    Pickler = _Pickler
    Unpickler = pickle.Unpickler
    __name__ = "pickle"

    def __getattr__(self, name):
        return getattr(pickle, name)


def _note(entry) -> None:
    with open(os.path.join(_STATE["spec"]["folder"], "index.jsonl"), "a", encoding="utf-8") as stream:
        stream.write(entry.to_json() + "\n")


#: calls with other flags (Python scalars among the arguments) take other paths through the
#: code: each flag combination is its own target, up to this many per function
VARIANTS = 4
_SCALARS = (bool, int, float, str, type(None))


def _flags(args: tuple, kwargs: dict) -> tuple:
    """The Python scalars among the arguments: what picks the path through the code."""
    return (tuple((i, v) for i, v in enumerate(args) if isinstance(v, _SCALARS)),
            tuple(sorted((k, v) for k, v in kwargs.items() if isinstance(v, _SCALARS))))


def _settings(receiver) -> tuple:
    """The Python scalars a method's receiver holds (``self.max_token_size``, ``self.training``):
    a module built with other settings takes other paths through the same ``forward``."""
    try:
        attributes = vars(receiver)
    except TypeError:
        return ()
    return tuple(sorted((k, v) for k, v in attributes.items() if isinstance(v, _SCALARS) and not k.startswith("__")))


def _shown(flags: tuple, first: tuple) -> str:
    """The flags of a variant that differ from the function's first recorded call: its keyword
    scalars, then its receiver's settings (``self.max_token_size=4``)."""
    before, settings = dict(first[1]), dict(first[3])
    words = [f"{k}={v!r}" for k, v in flags[1] if before.get(k, object()) != v]
    words += [f"self.{k}={v!r}" for k, v in flags[3] if settings.get(k, object()) != v]
    return ", ".join(words)[:120]


def _digest(value) -> str:
    return hashlib.sha1(repr(value).encode("utf-8", "backslashreplace")).hexdigest()[:16]


def _claim(name: str, content: str, limit: int) -> tuple[Optional[int], bool]:
    """A slot among ``limit`` shared by every process of the recorded program (pytest-xdist's
    workers record into one folder): the slots are files ``{name}.{n}``, each created whole by
    a hard link (which fails where the file exists) and holding what claimed it. Returns the
    slot holding ``content`` and whether this call claimed it, or ``(None, False)`` when all
    are held by others."""
    folder = _STATE["spec"]["folder"]
    draft = os.path.join(folder, f".claim.{os.getpid()}.{threading.get_ident()}")
    with open(draft, "w", encoding="utf-8") as stream:
        stream.write(content)
    try:
        for slot in range(limit):
            path = os.path.join(folder, f"{name}.{slot}")
            try:
                os.link(draft, path)
                return slot, True
            except FileExistsError:
                with open(path, encoding="utf-8") as stream:
                    if stream.read() == content:
                        return slot, False
        return None, False
    finally:
        os.unlink(draft)


def _variant_claim(flags: tuple) -> str:
    """What claims a variant's slot: its flags, the state written as its repr."""
    return json.dumps({"id": _digest(flags), "flags": [flags[0], flags[1], repr(flags[2]), flags[3]]}, default=repr)


def _first_flags(key: str) -> list:
    """The flags of the function's first variant (slot 0), whichever process claimed it."""
    with open(os.path.join(_STATE["spec"]["folder"], f"{key}.variant.0"), encoding="utf-8") as stream:
        return json.loads(stream.read())["flags"]


def _record(key: str, wanted: dict, args: tuple, kwargs: dict) -> None:
    torch = sys.modules.get("torch")
    if torch is None or torch.compiler.is_compiling():
        return
    plain = args[1:] if wanted["method"] else args
    # a call in another state (no_grad, autocast) takes other paths: a variant of its own
    receiver = _settings(args[0]) if wanted["method"] and args else ()
    shapes, flags = _shapes((plain, kwargs)), (*_flags(plain, kwargs), _state_key(torch), receiver)
    with _STATE["lock"]:
        known = _STATE["done"].get(key, {}).get(flags)
        if known is not None and (known["full"] or shapes in known["shapes"]):
            return  # the common case, a call seen before: nothing more to do
    if _importing():
        return
    ambient = _ambient(torch)
    # the variant (flags) and the call (shapes) are claimed in the folder, so that processes
    # recording the same program side by side record each of them once
    with _STATE["lock"]:
        known = _STATE["done"].setdefault(key, {}).get(flags)
        if known is None:
            variant, _ = _claim(f"{key}.variant", _variant_claim(flags), VARIANTS)
            known = _STATE["done"][key][flags] = {"variant": variant, "shapes": [], "full": variant is None}
        if known["full"] or shapes in known["shapes"]:
            return
        known["shapes"].append(shapes)
        variant = known["variant"]
        call, mine = _claim(f"{key}.{variant}.call", _digest(shapes), 2)
        if call is None:
            known["full"] = True
        if not mine:
            return
        call += 1
    source = _source()
    shown = ""
    if variant:  # a variant by its state alone is labelled by the state
        first = _first_flags(key)
        shown = _shown(flags, first) or ("" if repr(flags[2]) != first[2] else f"other arguments #{variant + 1}")
    snapshot, paths, error = None, (), None
    try:
        _STATE["active"] = False  # the snapshot's own calls are not the program's
        values = copy.deepcopy((args, kwargs), _detached(torch, (args, kwargs)))
        path = os.path.join(_STATE["spec"]["folder"], f"{key}.{variant}.{call}.pt")
        torch.save({"args": values[0], "kwargs": values[1]}, path, pickle_module=_PickleModule())
        snapshot = os.path.basename(path)
        here = os.getcwd()
        paths = tuple(p for p in dict.fromkeys(os.path.abspath(p or here) for p in sys.path)
                      if p == here or p.startswith(here + os.sep))
    except Exception as exc:  # noqa: BLE001 - noted, never raised into the program
        error = f"{type(exc).__name__}: {str(exc)[:200]}"
    finally:
        _STATE["active"] = True
    _note(RecordedCall(key, variant, call, source, wanted["file"], wanted["module"], wanted["class"], wanted["name"],
                       wanted["line"], wanted["method"], shown, snapshot, paths, error, ambient.to_dict()))


def _wrap(fn, key: str, wanted: dict):
    torch = sys.modules.get("torch")
    # Dynamo folds this to True while it traces the wrapper, so a compiled caller sees only fn
    compiling = torch.compiler.is_compiling if torch is not None else (lambda: False)

    watched = set(_STATE["spec"].get("lines", {}).get(wanted["file"], ()))
    traced = {"calls": 0}

    @functools.wraps(fn)
    def recording(*args, **kwargs):
        if not compiling() and _STATE["active"]:
            _record(key, wanted, args, kwargs)
            _STATE["called"][key] = _STATE["called"].get(key, 0) + 1
            pending = watched - _STATE["seen"].get(wanted["file"], set())
            if pending and traced["calls"] < TRACED_CALLS and sys.gettrace() is None:
                traced["calls"] += 1
                sys.settrace(_line_tracer(wanted["file"], pending))
                try:
                    return fn(*args, **kwargs)
                finally:
                    sys.settrace(None)
        return fn(*args, **kwargs)

    recording.__compile_audit_recording__ = True
    return recording


#: the calls of each recorded function whose lines are traced (until every watched line of its
#: file has run): enough to tell "ran" from "never ran" for the lines a test reaches, without
#: tracing a long suite's every call
TRACED_CALLS = 16


def _line_tracer(file: str, pending: set):
    """A trace function that notes which of ``pending`` (watched lines of ``file``) run; only
    frames of ``file`` get a local tracer, so the cost is one check per nested call."""
    seen = _STATE["seen"].setdefault(file, set())

    def local(frame, event, arg):
        if event == "line" and frame.f_lineno in pending:
            seen.add(frame.f_lineno)
        return local

    def global_trace(frame, event, arg):
        return local if frame.f_code.co_filename == file else None

    return global_trace


def _write_coverage() -> None:
    """At exit: which watched lines ran, and how often each recorded function was called (one
    file per process: a test session's workers each write theirs)."""
    spec = _STATE["spec"]
    if not spec or not (_STATE["seen"] or _STATE["called"]):
        return
    try:
        with open(os.path.join(spec["folder"], f"coverage.{os.getpid()}.json"), "w", encoding="utf-8") as stream:
            json.dump({"lines": {f: sorted(v) for f, v in _STATE["seen"].items()}, "called": _STATE["called"],
                       "traced_calls": TRACED_CALLS}, stream)
    except OSError:
        pass


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
        key = f"{key}.{int(_digest(path), 16) % 10**8}"  # the same in every process
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
    import atexit

    with open(spec_path, encoding="utf-8") as stream:
        _STATE["spec"] = json.load(stream)
    atexit.register(_write_coverage)
    sys.meta_path.insert(0, _Finder())
    for module in list(sys.modules.values()):  # already imported (rare: sitecustomize runs first)
        if os.path.abspath(getattr(module, "__file__", "") or "") in _STATE["spec"]["functions"]:
            _patch(module)
