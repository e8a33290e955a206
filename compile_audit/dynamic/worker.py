"""A worker process: imports torch once, then runs audit targets sent on stdin, one
``TargetRequest`` JSON line each, answering one JSON line each on the protocol pipe. Its start
settings (``WorkerStart``: the user's folders, the memory allowance) come in its environment;
everything about a target, its device included, comes in the request.

Isolation inside the worker: the target's stdout/stderr (file descriptors 1 and 2, so C code
and subprocesses too) go to a pipe drained by a thread that keeps the first
``OUTPUT_LIMIT`` bytes, so a flood costs time, never memory or disk; ``SystemExit`` from the
target is caught; the working directory and environment are restored after each target; the
address space may be capped (``WorkerStart.memory_limit``). What cannot be caught here (a
hang, a segfault, ``os._exit``) is the parent's job: it kills and replaces the worker.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import sys
import threading
import time
import traceback
from typing import Optional

from compile_audit.dynamic.protocol import (DEVICE_VARIABLE, Frame, Outcome, RecordedSpec, SynthSpec, TargetRequest,
                                            WorkerStart)

OUTPUT_LIMIT = 64 * 1024


class _Drain:
    """Reads a pipe until EOF, keeping the first OUTPUT_LIMIT bytes of each target's output."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.lock = threading.Lock()
        self.buffer = bytearray()
        self.dropped = 0
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self.lock:
                room = OUTPUT_LIMIT - len(self.buffer)
                if room > 0:
                    self.buffer += chunk[:room]
                self.dropped += max(0, len(chunk) - max(room, 0))

    def take(self) -> tuple[str, int]:
        """The output kept since the last call, and how many bytes were dropped."""
        time.sleep(0.01)  # let the thread catch up with the last writes
        with self.lock:
            text = self.buffer.decode("utf-8", "replace")
            dropped = self.dropped
            self.buffer = bytearray()
            self.dropped = 0
            return text, dropped


def _limit_memory(limit: Optional[int]) -> None:
    """Cap the address space at what the worker uses now (torch imported) plus the allowance
    ``limit`` (bytes): a target that grows past it gets a MemoryError."""
    if limit:
        import resource

        with open("/proc/self/statm") as statm:
            used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        cap = used + int(limit)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def main() -> None:
    protocol = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    requests = sys.stdin
    # the targets' output: fds 1 and 2 into a drained pipe
    read_fd, write_fd = os.pipe()
    os.dup2(write_fd, 1)
    os.dup2(write_fd, 2)
    os.close(write_fd)
    sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", buffering=0), encoding="utf-8", line_buffering=True)
    sys.stderr = io.TextIOWrapper(os.fdopen(2, "wb", buffering=0), encoding="utf-8", line_buffering=True)
    drain = _Drain(read_fd)

    start = time.perf_counter()
    import torch

    from compile_audit.dynamic import probe
    from compile_audit.target import Target

    settings = WorkerStart.from_env(os.environ)
    recorder = probe.Recorder(probe.user_files(settings.roots))
    _limit_memory(settings.memory_limit)
    protocol.write(json.dumps({"ready": True, "torch": torch.__version__.split("+")[0],
                               "import_seconds": time.perf_counter() - start}) + "\n")
    drain.take()

    modules: dict[str, object] = {}
    for line in requests:
        request = TargetRequest.from_json(line)
        cwd, environ = os.getcwd(), dict(os.environ)
        started = time.perf_counter()
        os.environ[DEVICE_VARIABLE] = request.device  # what compile_audit.audit_device() answers
        try:
            outcome = _run(request, modules, recorder, probe, Target)
        except SystemExit as exc:
            outcome = Outcome.failed("exit", f"the target called sys.exit({exc.code!r})")
        except MemoryError:
            outcome = Outcome.failed("memory", "the target ran out of memory (limit set by the runner)")
        except BaseException as exc:  # noqa: BLE001 - reported against the target
            outcome = Outcome.failed("internal", f"{type(exc).__name__}: {exc}", traceback=traceback.format_exc()[-4000:])
        finally:
            with _quiet():
                os.chdir(cwd)
                os.environ.clear()
                os.environ.update(environ)
        sys.stdout.flush()
        sys.stderr.flush()
        outcome.output, dropped = drain.take()
        if dropped:
            outcome.flood = {"kept": OUTPUT_LIMIT, "dropped": dropped}
        outcome.seconds = time.perf_counter() - started
        protocol.write(json.dumps({"id": request.id, "outcome": outcome.to_dict()}) + "\n")


class _quiet:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return True


def load_audit_module(path: str, modules: dict):
    """Import an audit file once (its folder on sys.path, so it can import its neighbours)."""
    if path not in modules:
        directory = os.path.dirname(path)
        if directory not in sys.path:
            sys.path.insert(0, directory)
        name = "_compile_audit_target_" + str(abs(hash(path)))
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[name]
            raise
        modules[path] = module
    return modules[path]


def _where(exc: BaseException, path: str) -> Optional[Frame]:
    """The innermost frame of the exception's traceback in the target's own file, if any."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == path]
    return Frame(path, frames[-1].lineno) if frames else None


def import_project_module(path: str, modules: dict):
    """A project file as its package's module (``pkg.models.mlp``), so that its relative imports
    work; a file outside any package is loaded like an audit file."""
    folder, name = os.path.split(os.path.abspath(path))
    parts = [name[:-3]]
    while os.path.exists(os.path.join(folder, "__init__.py")):
        folder, package = os.path.split(folder)
        parts.insert(0, package)
    if len(parts) == 1:
        return load_audit_module(path, modules)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module(".".join(parts))


def _recorded(spec: RecordedSpec):
    """The factory of a recorded target: the snapshot of the call's arguments (``self``
    included), the function found again by its module and name; a module's ``forward`` is
    compiled as the module, as users compile it."""
    def factory():
        import torch

        from compile_audit.target import Target

        for folder in reversed([os.getcwd(), *spec.paths]):
            if folder not in sys.path:
                sys.path.insert(0, folder)  # the snapshot's classes import by their module's name
        first = torch.load(spec.snapshot, weights_only=False)
        second = torch.load(spec.second, weights_only=False) if spec.second else None
        args, kwargs = tuple(first["args"]), dict(first["kwargs"])
        again = tuple(second["args"]) if second else None
        if spec.cls:
            owner, args = args[0], args[1:]
            again = again[1:] if again else None
            fn = _recorded_method(spec, owner)
        else:
            fn = getattr(importlib.import_module(spec.module), spec.name)
            fn = getattr(fn, "__wrapped__", fn)
        # called twice, as a program calls it: the second call with the other shapes recorded,
        # else with the same arguments (a counter the first call moved recompiles it)
        return Target(fn, args, kwargs, recompile_args=again if again is not None else args,
                      ambient=spec.ambient)

    return factory


def _recorded_method(spec: RecordedSpec, owner):
    """The method that was called, bound to the recorded receiver: a module whose own ``forward``
    was called is compiled as the module (as users compile it, through ``__call__``); a
    ``forward`` reached another way (``super().forward(...)`` from a subclass, a mixin's) is
    compiled as that very function, bound to the receiver, so nothing else checks the arguments."""
    import torch

    defined = None
    try:
        found = importlib.import_module(spec.module)
        for part in spec.cls.split("."):
            found = getattr(found, part)
        defined = found.__dict__.get(spec.name)
    except (ImportError, AttributeError):
        pass
    if defined is None or not callable(defined) and not hasattr(defined, "__get__"):
        return getattr(owner, spec.name)  # the class is not importable by its name: as the receiver has it
    if spec.name == "forward" and isinstance(owner, torch.nn.Module) and type(owner).forward is defined:
        return owner
    return defined.__get__(owner, type(owner))


def _run(request: TargetRequest, modules: dict, recorder, probe, Target) -> Outcome:
    path = request.file
    if request.recorded is not None:
        try:
            target = Target.coerce(_recorded(request.recorded)())
        except SystemExit:
            raise
        except BaseException as exc:  # noqa: BLE001
            return Outcome.failed("factory", f"loading the recorded call raised {type(exc).__name__}: {exc}")
        return probe.run_target(target, recorder, request.backend, request.device, request.watch)
    load = import_project_module if request.synthesized is not None else load_audit_module
    what = "the module" if request.synthesized is not None else "the audit file"
    try:
        module = load(path, modules)
    except SystemExit as exc:
        return Outcome.failed("import", f"importing {what} called sys.exit({exc.code!r})")
    except BaseException as exc:  # noqa: BLE001
        return Outcome.failed("import", f"importing {what} raised {type(exc).__name__}: {exc}",
                              frame=_where(exc, path))
    factory = getattr(module, request.function, None)
    if factory is None:
        return Outcome.failed("import", f"{request.function} not found after import")
    if request.synthesized is not None:
        factory = _synthesized(factory, request.synthesized)
    # the target is built with the requested device as torch's default device (tensors a factory
    # makes, a mask_mod captures, land on it); it is called the way a user calls a model on a
    # device: module and inputs moved there (.to(device)), no device mode, which Dynamo would
    # trace as part of the program
    with probe.default_device(request.device):
        try:
            target = Target.coerce(factory())
        except SystemExit:
            raise
        except BaseException as exc:  # noqa: BLE001
            return Outcome.failed("factory", f"{request.function}() raised {type(exc).__name__}: {exc}",
                                  frame=_where(exc, path))
    return probe.run_target(target, recorder, request.backend, request.device, request.watch)


def _synthesized(cls, spec: SynthSpec):
    """The factory of a synthesized target: the class built with its defaults, called on an
    input of the spec's kind and shape (``compile_audit.dynamic.synth``), without gradients."""
    def factory():
        import torch

        from compile_audit.target import Target

        torch.manual_seed(0)
        shape = tuple(spec.shape)
        if spec.kind == "long":
            value = torch.randint(0, int(spec.high), shape)
        else:
            value = torch.randn(shape)
        model = cls()
        model.eval()
        return Target(model, (value,), no_grad=True)

    return factory


if __name__ == "__main__":
    main()
