"""The parent side: worker processes, timeouts, replacement, parallelism. No torch here.

Each worker is ``python -m compile_audit.dynamic.worker`` in a session of its own, so that a
timeout kills it and everything it started (inductor's compile workers, g++). A worker that
dies (segfault, ``os._exit``) or hangs is reported against the target it was running and
replaced by a fresh one; the run goes on. Up to ``jobs`` workers run in parallel, each taking
the next target from a shared queue; results come back in target order.

What crosses to a worker, each setting once: its start settings (``WorkerStart``: the roots,
the memory limit) in its environment (``worker_env``), everything else (target, backend,
device, watched lines) in each ``TargetRequest`` (``TargetRef.request``).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Sequence

from compile_audit.dynamic.protocol import Outcome, TargetRequest, WorkerStart
from compile_audit.dynamic.targets import TargetRef

#: seconds a worker may take to import torch and say it is ready
STARTUP_TIMEOUT = float(os.environ.get("COMPILE_AUDIT_STARTUP_TIMEOUT", "300"))


@dataclass
class TargetResult:
    ref: TargetRef
    outcome: Outcome = field(default_factory=Outcome)


class WorkerDied(Exception):
    pass


class WorkerStartFailed(Exception):
    """The worker did not say it was ready in time, or died starting; it has been killed."""


class Worker:
    """One worker process. It starts importing torch at once; ``wait_ready`` (called before its
    first request) waits for its hello, so a caller can start workers early and do other work
    (the static scan) while torch imports."""

    def __init__(self, cwd: Path, env: dict[str, str], startup_timeout: Optional[float] = None,
                 wait: bool = True) -> None:
        """``env``: the worker's start settings, from ``worker_env``."""
        self.stderr = tempfile.TemporaryFile()
        environment = dict(os.environ, **env)
        environment.setdefault("TORCHINDUCTOR_COMPILE_THREADS", "1")
        environment.pop("TORCH_LOGS", None)
        environment.pop("TORCH_COMPILE_DEBUG", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "compile_audit.dynamic.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            cwd=cwd,
            env=environment,
            start_new_session=True,
        )
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.proc.stdout, selectors.EVENT_READ)
        self.buffer = b""
        self.started = time.monotonic()
        self.startup_timeout = STARTUP_TIMEOUT if startup_timeout is None else startup_timeout
        self.ready = False
        self.torch_version: Optional[str] = None
        if wait:
            self.wait_ready()

    def wait_ready(self) -> None:
        """Wait for the worker's hello (the start timeout counts from its spawn); a worker that
        does not say it is ready in time is killed (``WorkerStartFailed``)."""
        if self.ready:
            return
        timeout = self.startup_timeout
        try:
            hello = self._read(max(0.0, self.started + timeout - time.monotonic()))
        except TimeoutError:
            self.kill()
            self._release()
            raise WorkerStartFailed(f"the worker did not start within {timeout:g} s (importing torch); "
                                    "it was killed") from None
        except WorkerDied as died:
            self._release()
            raise WorkerStartFailed(f"the worker died while starting: {died}") from None
        self.torch_version = hello.get("torch")
        self.ready = True

    def _read(self, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if not self.selector.select(max(left, 0.0)):  # polls once even when the time is up
                if left <= 0:
                    raise TimeoutError
                continue
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                raise WorkerDied(self._death())
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return json.loads(line)

    def _death(self) -> str:
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()
            code = self.proc.returncode
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            return f"the worker was killed by {name}" + (" (a crash in native code)" if name == "SIGSEGV" else "")
        self.stderr.seek(0)
        tail = self.stderr.read()[-2000:].decode("utf-8", "replace").strip()
        detail = f": {tail.splitlines()[-1]}" if tail else ""
        return f"the worker exited with code {code} (os._exit or a fatal error){detail}"

    def run(self, request: TargetRequest, timeout: float) -> Outcome:
        try:
            self.proc.stdin.write((request.to_json() + "\n").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise WorkerDied(self._death()) from None
        return Outcome.from_dict(self._read(timeout)["outcome"])

    def kill(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            pass

    def close(self) -> None:
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.kill()
        self._release()

    def _release(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.proc.stdin.close()
        with contextlib.suppress(OSError, ValueError):
            self.proc.stdout.close()
        self.selector.close()
        self.stderr.close()


def run_one(worker: Optional[Worker], make: Callable[[], Worker], request: TargetRequest,
            timeout: float) -> tuple[Outcome, Optional[Worker]]:
    """Run one request on ``worker`` (started with ``make()`` when None): returns the outcome
    and the worker to use next (None when this one was killed or died; a fresh one starts
    on the next request). A start that times out, a target that hangs or crashes: each is an
    outcome against the target, never an exception. Shared by the runner and the pytest plugin.
    A failed outcome's ``seconds`` is how long the target ran before it failed (a timeout: the limit)."""
    started = time.monotonic()

    def failed(kind: str, message: str) -> Outcome:
        outcome = Outcome.failed(kind, message)
        outcome.seconds = time.monotonic() - started
        return outcome

    try:
        if worker is None:
            worker = make()
        worker.wait_ready()
        started = time.monotonic()  # the target's time, not the worker's start
        return worker.run(request, timeout), worker
    except WorkerStartFailed as exc:
        return failed("start", str(exc)), None
    except TimeoutError:
        worker.kill()
        worker._release()
        return failed("timeout", f"timed out after {timeout:g} s (the worker was killed)"), None
    except WorkerDied as died:
        worker._release()
        return failed("crash", str(died)), None
    except (OSError, ValueError, KeyError) as exc:
        if worker is not None:
            worker.kill()
            worker._release()
        return failed("internal", f"cannot run the worker: {exc}"), None


def worker_env(roots: Sequence[str], memory_limit: Optional[int] = None) -> dict[str, str]:
    """A worker's start environment: the settings it needs before its first request (the
    runner's workers and the pytest plugin's are made with it)."""
    return WorkerStart(tuple(roots), memory_limit).to_env()


def spawn(count: int, *, roots: Sequence[str], cwd: Path, memory_limit: Optional[int] = None) -> list[Worker]:
    """Start ``count`` workers now, without waiting for them: torch imports while the caller
    works (``run_targets(..., started=...)`` takes them). The device is not a start setting: it
    travels in each request."""
    env = worker_env(roots, memory_limit)
    return [Worker(cwd, env, wait=False) for _ in range(count)]


def run_targets(
    refs: Sequence[TargetRef],
    *,
    roots: Sequence[str],
    cwd: Path,
    backend: str = "eager",
    device: str = "cpu",
    timeout: float = 120.0,
    jobs: int = 1,
    memory_limit: Optional[int] = None,
    on_done: Optional[Callable[[TargetResult], None]] = None,
    watch: Optional[dict[str, list[int]]] = None,
    started: Optional[list[Worker]] = None,
) -> tuple[list[TargetResult], Optional[str]]:
    """Run every target; returns the results in target order and the workers' torch version.
    ``started``: workers already spawned (``spawn``) with the same roots, device and limits."""
    started = list(started or [])
    if not refs:
        for worker in started:
            worker.close()
        return [], None
    env = worker_env(roots, memory_limit)
    work: "queue.Queue[tuple[int, TargetRef]]" = queue.Queue()
    for index, ref in enumerate(refs):
        work.put((index, ref))
    results: list[Optional[TargetResult]] = [None] * len(refs)
    versions: list[str] = []
    lock = threading.Lock()

    def finish(index: int, result: TargetResult) -> None:
        results[index] = result
        if on_done is not None:
            with lock:
                on_done(result)

    def make() -> Worker:
        with lock:
            if started:
                return started.pop()
        return Worker(cwd, env, wait=False)

    def slot() -> None:
        worker: Optional[Worker] = None
        while True:
            try:
                index, ref = work.get_nowait()
            except queue.Empty:
                break
            request = ref.request(index, backend=backend, device=device, watch=watch)
            outcome, worker = run_one(worker, make, request, timeout)
            if worker is not None and worker.torch_version and not versions:
                versions.append(worker.torch_version)
            finish(index, TargetResult(ref, outcome))
        if worker is not None:
            worker.close()

    count = max(1, min(jobs, len(refs)))
    for extra in started[count:]:  # more were started than there is work for
        extra.close()
    del started[count:]
    threads = [threading.Thread(target=slot, daemon=True) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [r for r in results if r is not None], (versions[0] if versions else None)
