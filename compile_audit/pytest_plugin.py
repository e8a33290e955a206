"""compile-audit's pytest plugin (entry point ``pytest11``; needs the ``dynamic`` extra).

Three ways in:

* the fixture ``compile_audit``: ``compile_audit.check(fn, *args, **kwargs)`` compiles ``fn``
  like the runner does and fails the test with the list of graph breaks;
* the marker ``@pytest.mark.compile_audit(allow=["GB0170"])``: every ``torch.compile``d call
  the test makes fails it on a graph break, allowed GB codes excepted;
* ``pytest --compile-audit``: every audit target (``audit_*`` in ``audit_*.py``/``*_audit.py``)
  under the test paths becomes a test item, run in the runner's isolated worker processes.

torch is imported only when one of these is used, so the plugin costs nothing in a test
session (or a pre-commit environment) without torch.
"""

from __future__ import annotations

import linecache
import os
import signal
from pathlib import Path
from typing import Optional

import pytest

from compile_audit.dynamic.protocol import Outcome
from compile_audit.core.findings import plural

_RECORDER = None


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("compile-audit", "graph-break checks (compile-audit)")
    group.addoption("--compile-audit", action="store_true", default=False,
                    help="collect compile-audit's audit targets (audit_*.py) as test items")
    group.addoption("--compile-audit-backend", default=None, help="torch.compile backend (default: eager)")
    group.addoption("--compile-audit-timeout", type=float, default=None, help="seconds per audit target")
    group.addoption("--compile-audit-record", action="store_true", default=False,
                    help="record audit targets from the calls this test session makes (as `compile-audit record`)")
    parser.addini("compile_audit_isolate", "run compile_audit.check() in a forked child process", type="bool",
                  default=False)
    parser.addini("compile_audit_allow", "GB codes every check allows", type="args", default=[])


_RECORDING: dict = {}


def _start_recording(config: pytest.Config) -> None:
    """``--compile-audit-record``: the static scan says what to watch; the recorder wraps it
    (modules imported already are patched in place, later ones as they import). Under
    pytest-xdist the controller scans and prepares the folder once; each worker installs the
    recorder on the controller's spec, and the workers claim what they record in the folder."""
    from compile_audit.dynamic import recorded

    spec_path = getattr(config, "workerinput", {}).get("compile_audit_record_spec")
    if spec_path is None:
        from compile_audit import pipeline

        root = Path(config.rootpath)
        settings = _settings(config)
        run = pipeline.run(pipeline.Request(paths=[root], settings=settings, cwd=root, use_verdicts=False))
        spec_path = str(recorded.prepare(run.result.findings, settings.root, root, run.result.project_index()))
    recorded.load_recorder().install(spec_path)
    _RECORDING["spec"] = spec_path
    _RECORDING["folder"] = Path(spec_path).parent


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    """pytest-xdist (controller): each worker records with the spec the controller prepared."""
    if "spec" in _RECORDING:
        node.workerinput["compile_audit_record_spec"] = _RECORDING["spec"]


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--compile-audit-record"):
        _start_recording(config)
    config.addinivalue_line(
        "markers",
        "compile_audit(allow=[...]): fail the test on any graph break of a torch.compile'd call it makes, "
        "except the GB codes listed in allow",
    )


# -- shared: the recorder and the report ------------------------------------------------------

class _DropTrace:
    """A logging filter that drops every record (torch's structured trace, which pytest's
    captured-log report would print as pages of empty ``DEBUG torch.__trace`` lines)."""

    def filter(self, record) -> bool:
        return False


def _recorder(root: Path):
    global _RECORDER
    if _RECORDER is None:
        import logging

        from compile_audit.dynamic import probe

        # torch's structured-trace records (for tlparse: empty messages with a payload) would
        # flood pytest's log capture, which attaches its handlers to non-propagating loggers
        # too; keep them only for a user who asked for a trace (TORCH_TRACE)
        trace = logging.getLogger("torch.__trace")
        trace.propagate = False
        if not os.environ.get("TORCH_TRACE") and not any(isinstance(f, _DropTrace) for f in trace.filters):
            trace.addFilter(_DropTrace())

        _RECORDER = probe.Recorder(probe.user_files([str(root)]))
    return _RECORDER


_PREDICTIONS: dict = {}


def _predicted(path: str, line: int, root: Path) -> list[str]:
    """The static rules that flag ``path:line`` under the project's settings (selection,
    per-file ignores, noqa), as 'CA104 tensor-control-flow'."""
    if path not in _PREDICTIONS:
        from compile_audit.core import config
        from compile_audit import pipeline

        try:
            settings = config.load(None, root)
            findings = pipeline.run(pipeline.Request(paths=[Path(path)], settings=settings, cwd=root,
                                                     use_cache=False)).result.findings
        except Exception:  # noqa: BLE001 - a prediction is a hint; the break is reported anyway
            findings = []
        _PREDICTIONS[path] = findings
    return [f"{f.code} {f.name}" for f in _PREDICTIONS[path] if f.span.line <= line <= f.span.end_line]


def _problem(record, title: Optional[str] = None) -> dict:
    """A break record as the failure report shows it: type and code of the one record."""
    frame = record.frame
    return {"gb_code": record.gb_code, "gb_type": title or record.gb_type, "explanation": record.explanation,
            "frame": frame, "library_frame": record.library_frame, "inside": record.inside}


def format_breaks(problems: list[dict], root: Path, title: str) -> str:
    sections = [title]
    for number, item in enumerate(problems, 1):
        frame = item.get("frame")
        code = item.get("gb_code") or "no GB code"
        inside = f" (inside {item['inside']})" if item.get("inside") else ""
        sections.append(f"\n--- graph break {number} of {len(problems)}: {code} {item.get('gb_type') or ''}{inside}".rstrip())
        if frame is not None:
            try:
                shown = os.path.relpath(frame.file, root)
            except ValueError:
                shown = frame.file
            sections.append(f"  {shown}:{frame.line}" + (f" in {frame.function}" if frame.function else ""))
            source = linecache.getline(frame.file, frame.line).rstrip()
            if source:
                sections.append(f"      {source.strip()}")
            predicted = _predicted(frame.file, frame.line, root)
            sections.append("  predicted by " + ", ".join(predicted) if predicted else "  no compile-audit rule predicted it")
        lib = item.get("library_frame")
        if lib is not None:
            sections.append(f"  inside {lib.file}:{lib.line} {lib.function}".rstrip())
        if item.get("explanation"):
            sections.append(f"  hint: {item['explanation']}")
    return "\n".join(sections)


def _problems(outcome, allow: set) -> list[dict]:
    """The breaks and failures of a target's outcome that fail a check: one per break site."""
    problems, sites = [], set()
    for record in outcome.breaks:
        if (record.gb_code or "") not in allow and record.site() not in sites:
            sites.add(record.site())
            problems.append(_problem(record))
    strict = outcome.strict
    record = strict.brk
    if strict.status == "break" and record is not None and (record.gb_code or "") not in allow \
            and (record.site() is None or record.site() not in sites):
        problems.append(_problem(record))
    failure = outcome.failure()
    if failure == "eager":
        error = outcome.eager_error
        problems.append({"gb_type": f"fails even without torch.compile: {error.exception}: {error.message}",
                         "frame": error.frame, "gb_code": None})
    elif failure == "compile":
        problems.append({"gb_type": f"{strict.exception}: {strict.message}", "frame": strict.frame, "gb_code": None})
    return problems


# -- 1. the fixture ------------------------------------------------------------------------------

class CompileAuditChecker:
    def __init__(self, config: pytest.Config) -> None:
        self.root = Path(config.rootpath)
        self.backend = config.getoption("--compile-audit-backend") or _settings(config).backend
        self.isolate = bool(config.getini("compile_audit_isolate"))
        self.allow = set(config.getini("compile_audit_allow"))
        self.timeout = config.getoption("--compile-audit-timeout") or _settings(config).timeout

    def check(self, fn, *args, **kwargs):
        """Compile ``fn`` as the runner does (fullgraph=True, then the default mode when it
        can add anything) and fail the test on a graph break. Returns the probe's
        ``Outcome`` when there is none."""
        from compile_audit.target import Target

        target = Target(fn, args=args, kwargs=kwargs)
        result = self._run_isolated(target) if self.isolate else self._run(target)
        problems = _problems(result, self.allow)
        if problems:
            name = getattr(fn, "__qualname__", None) or type(fn).__name__
            pytest.fail(format_breaks(problems, self.root, f"compile_audit.check({name}): {plural(len(problems), 'graph break')}"),
                        pytrace=False)
        return result

    def _run(self, target):
        from compile_audit.dynamic import probe

        return probe.run_target(target, _recorder(self.root), self.backend, "cpu")

    def _run_isolated(self, target):
        """The same check in a forked child (torch already imported here): a crash, a hang or
        ``os._exit`` in the code under test fails this test instead of killing the session."""
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            os.close(read_fd)
            try:
                payload = self._run(target).to_json().encode()
            except BaseException as exc:  # noqa: BLE001
                payload = Outcome.failed("exception", f"{type(exc).__name__}: {exc}").to_json().encode()
            with os.fdopen(write_fd, "wb") as stream:
                stream.write(payload)
            os._exit(0)
        os.close(write_fd)
        import selectors
        import time

        chunks, deadline = [], time.monotonic() + self.timeout
        with os.fdopen(read_fd, "rb") as stream, selectors.DefaultSelector() as selector:
            selector.register(stream, selectors.EVENT_READ)
            while True:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    pytest.fail(f"compile_audit.check: timed out after {self.timeout:g} s", pytrace=False)
                chunk = os.read(stream.fileno(), 65536)
                if not chunk:
                    break
                chunks.append(chunk)
        _, status = os.waitpid(pid, 0)
        if not chunks:
            pytest.fail(f"compile_audit.check: the checked code killed its process (status {status})", pytrace=False)
        result = Outcome.from_json(b"".join(chunks).decode())
        if result.error is not None:
            pytest.fail(f"compile_audit.check: {result.error.message}", pytrace=False)
        return result


@pytest.fixture
def compile_audit(request: pytest.FixtureRequest) -> CompileAuditChecker:
    """``compile_audit.check(fn, *args, **kwargs)``: fail the test on a graph break."""
    return CompileAuditChecker(request.config)


# -- 2. the marker -------------------------------------------------------------------------------

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item):
    marker = item.get_closest_marker("compile_audit")
    if marker is None:
        yield
        return
    import torch

    recorder = _recorder(Path(item.config.rootpath))
    allow = set(marker.kwargs.get("allow", ())) | set(item.config.getini("compile_audit_allow"))
    torch._dynamo.reset()  # compile afresh: a cached graph would hide its breaks
    recorder.reset()
    recorder.active = True
    try:
        outcome = yield
    finally:
        recorder.active = False
    from compile_audit.dynamic.probe import dedupe

    breaks = [_problem(b) for b in dedupe(recorder.breaks) if (b.gb_code or "") not in allow]
    if breaks and outcome.excinfo is None:
        title = f"{plural(len(breaks), 'graph break')} in torch.compile'd code under @pytest.mark.compile_audit"
        if allow:
            title += f" (allowed: {', '.join(sorted(allow))})"
        outcome.force_exception(pytest.fail.Exception(format_breaks(breaks, Path(item.config.rootpath), title), pytrace=False))


# -- 3. audit targets as test items --------------------------------------------------------------

def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    if not parent.config.getoption("--compile-audit"):
        return None
    from compile_audit.dynamic.targets import is_audit_file

    if is_audit_file(file_path):
        return AuditFile.from_parent(parent, path=file_path)
    return None


class AuditFile(pytest.File):
    def collect(self):
        from compile_audit.dynamic.targets import audit_functions

        for name, line in audit_functions(self.path):
            yield AuditItem.from_parent(self, name=name, line=line)


class _Pool:
    """One isolated worker for the session, replaced when it fails to start, times out or
    dies (the runner's own ``run_one``)."""

    worker = None

    @classmethod
    def run(cls, config: pytest.Config, request, timeout: float):
        """Run one ``TargetRequest`` (``AuditItem.request``) on the session's worker."""
        from compile_audit import pipeline
        from compile_audit.dynamic import pool

        root = Path(config.rootpath)
        settings = _settings(config)

        def make():
            return pool.Worker(root, pool.worker_env(pipeline.target_roots(settings, [root])))

        outcome, cls.worker = pool.run_one(cls.worker, make, request, timeout)
        return outcome


_SETTINGS = pytest.StashKey()


def _settings(config: pytest.Config):
    """The project's [tool.compile-audit] settings, read once per session."""
    if _SETTINGS not in config.stash:
        from compile_audit.core import config as settings_module

        config.stash[_SETTINGS] = settings_module.load(None, Path(config.rootpath))
    return config.stash[_SETTINGS]


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _Pool.worker is not None:
        _Pool.worker.close()
        _Pool.worker = None


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if "folder" in _RECORDING:
        from compile_audit.dynamic import recorded

        for line in recorded.summary(recorded.load_index(_RECORDING["folder"]), Path(config.rootpath)):
            terminalreporter.write_line(line)


class AuditItem(pytest.Item):
    def __init__(self, *, line: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.line = line
        # no fixtures; other plugins' hooks read ``item.funcargs`` as on a test function (and
        # pytest-lsp's runtest wrapper fails on an item without it)
        self.funcargs: dict = {}

    def request(self):
        """The ``TargetRequest`` for this item, made as the runner makes its own
        (``TargetRef.request``); the plugin's targets run on the CPU."""
        from compile_audit.dynamic.targets import TargetRef

        backend = self.config.getoption("--compile-audit-backend") or _settings(self.config).backend
        ref = TargetRef(Path(os.path.abspath(self.path)), self.name, self.line, self.nodeid)
        return ref.request(0, backend=backend, device="cpu")

    def runtest(self) -> None:
        config = self.config
        settings = _settings(config)
        result = _Pool.run(config, self.request(), config.getoption("--compile-audit-timeout") or settings.timeout)
        if result.error is not None:
            raise AuditFailure(f"{self.name}: {result.error.kind} error: {result.error.message}")
        problems = _problems(result, set(config.getini("compile_audit_allow")))
        if problems:
            raise AuditFailure(format_breaks(problems, Path(config.rootpath), f"{self.name}: {plural(len(problems), 'graph break')}"))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, AuditFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, self.line - 1, f"audit target {self.name}"


class AuditFailure(Exception):
    pass
