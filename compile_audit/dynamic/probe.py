"""Inside a worker: compile one target and record what Dynamo does. Imports torch.

Three passes, the first of which is exactly what a user's bare call does:

* the **strict** pass, ``torch.compile(fn, fullgraph=True)`` on the freshly built target: the
  verdict users of ``fullgraph`` get (compiles, or the first break). It runs first so that no
  earlier call has changed the target's state (a first-call initialisation, a lazy module);
* the **survey** pass, ``torch.compile(fullgraph=False)``: every graph break Dynamo hits when
  it is allowed to continue, and the source lines it traced. It is skipped on evidence: when
  the strict pass compiled whole and allocated no unbacked symbol. ``fullgraph=True`` differs
  from the default mode only by capturing what allocates one (``.item()``, data-dependent
  output shapes); everything else it does, it does more strictly. The torch source the rule
  comes from is ``OutputGraph``'s ``allow_scalar_outputs=one_graph or ...``;
* an **eager** call, only when a compiled call raised something other than a graph break: it
  tells "the target fails without torch.compile" (a broken target, or a FlexAttention mod that
  fails under vmap) from a compile failure. An op that runs Dynamo even in eager mode
  (``torch.cond``) fails there with Dynamo's own error: that is a graph break, not a broken
  target.

Lines a static finding flags (``watch``) that ran but were not traced (Dynamo skipped the
frame, or ran the rest of it eagerly, after an earlier break) are found by one more eager call
under a line tracer, and each is **re-probed**: its statement alone, compiled with the values
it ran with, at its own file and line, gets Dynamo's verdict past the break that hid it.

Breaks are read from Dynamo's ``InstructionTranslatorBase.log_graph_break`` (the exception
object: ``gb_type``, ``real_stack``) and coverage from ``starts_line``; both are private, so
they are feature-detected, and when they are missing the probe falls back to the public
``torch.__trace`` structured-log stream and ``trace_source`` artifact logger.
"""

from __future__ import annotations

import ast
import contextlib
import json
import logging
import os
import re
import sys
import time
import traceback
import types
from pathlib import Path
from typing import Any, Callable, Optional, Sequence

import torch
import torch._dynamo

from compile_audit.dynamic.protocol import (
    BACKEND_ERROR, BREAK, COMPILED, ERROR, RECOMPILE_LIMIT, BreakRecord, Failure, Frame,
    GuardFailure, Hidden, Metrics, Outcome, Recompiles, Verdict,
)
from compile_audit.dynamic.metrics import counting_backend, eager_ops, frames_skipped

try:  # private, feature-detected
    from torch._dynamo import symbolic_convert as _sc
except ImportError:  # pragma: no cover
    _sc = None
try:  # private, feature-detected
    from torch.fx.experimental.symbolic_shapes import ShapeEnv as _ShapeEnv
except ImportError:  # pragma: no cover
    _ShapeEnv = None

_DOC_LINK = re.compile(r"compile-graph-break-site/(?:[\w./-]*/)?gb/gb(\d{4})")
_FILE_LINE = re.compile(r'File "([^"]+)", line (\d+)')
_HOP = re.compile(r"Higher Order Operator: ([\w.]+)")


def _gb_registry() -> dict[str, str]:
    path = Path(torch._dynamo.__file__).parent / "graph_break_registry.json"
    mapping: dict[str, str] = {}
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return mapping
    for code, entries in data.items():
        for entry in entries:
            mapping.setdefault(entry.get("Gb_type", ""), code)
    return mapping


GB_CODES = _gb_registry()


def gb_code_of(exc: BaseException, gb_type: Optional[str]) -> Optional[str]:
    match = _DOC_LINK.search(str(exc))
    if match:
        return f"GB{match.group(1)}"
    return GB_CODES.get(gb_type or "")


def _explanation(text: str) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("Explanation:"):
            return line[len("Explanation:") :].strip()
    return ""


def user_files(roots: Sequence[str]) -> Callable[[str], bool]:
    """The one test of "is this file the user's" (where a break is reported): under one of
    ``roots``, and not in torch or an installed package. Used by the workers and by the pytest
    plugin's in-process checks."""
    folders = [os.path.abspath(r) for r in roots]
    site = [os.path.abspath(p) for p in sys.path if "site-packages" in p or "dist-packages" in p]
    torch_dir = os.path.dirname(torch.__file__)

    def is_user_file(filename: str) -> bool:
        if not filename or filename.startswith("<"):  # <frozen os>, <string>, <eval_with_key>
            return False
        path = os.path.abspath(filename)
        if path.startswith(torch_dir) or any(path.startswith(s) for s in site):
            return False
        if {"site-packages", "dist-packages"} & set(path.split(os.sep)):  # a package installed elsewhere
            return False
        return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in folders)

    return is_user_file


class Recorder:
    """Collects breaks, traced lines and unbacked symbols while Dynamo compiles; installed
    once per worker (or per pytest session)."""

    def __init__(self, is_user_file: Callable[[str], bool]) -> None:
        self.is_user_file = is_user_file
        self.breaks: list[BreakRecord] = []
        self.lines: dict[str, set[int]] = {}
        #: unbacked symbols allocated (scalar outputs, data-dependent shapes)
        self.unbacked = 0
        #: the last user line Dynamo started tracing: where a break raised outside any
        #: instruction (when Dynamo compiles the graph at a return) happened
        self.last_line: Optional[Frame] = None
        self.active = False
        #: file (absolute) -> the watched lines (those static findings flag), and the positions
        #: of the instructions Dynamo traced on them: which expressions it evaluated
        self.watch: dict[str, set[int]] = {}
        self.evaluated: dict[str, set[tuple[int, int, int, int]]] = {}
        self._install()

    def reset(self) -> None:
        self.breaks = []
        self.lines = {}
        self.unbacked = 0
        self.last_line = None
        self.evaluated = {}

    # hooks --------------------------------------------------------------------------------
    def _install(self) -> None:
        base = getattr(_sc, "InstructionTranslatorBase", None)
        recorder = self
        if base is not None and hasattr(base, "log_graph_break"):
            original_log = base.log_graph_break

            def log_graph_break(self, code_options, reason, exc, *args, **kwargs):
                if recorder.active:
                    try:
                        recorder.breaks.append(recorder.break_record(exc, "default"))
                    except Exception:  # never let the probe break Dynamo
                        pass
                return original_log(self, code_options, reason, exc, *args, **kwargs)

            base.log_graph_break = log_graph_break
        else:  # pragma: no cover - older torch: the structured trace stream
            logging.getLogger("torch.__trace").addHandler(_TraceHandler(self))
        if base is not None and hasattr(base, "starts_line"):
            original_starts = base.starts_line

            def starts_line(self, lineno):
                if recorder.active:
                    filename = self.f_code.co_filename
                    if recorder.is_user_file(filename):
                        path = os.path.abspath(filename)
                        recorder.lines.setdefault(path, set()).add(lineno)
                        recorder.last_line = Frame(path, lineno, 1, self.f_code.co_name)
                return original_starts(self, lineno)

            base.starts_line = starts_line
        if base is not None and hasattr(base, "step"):
            original_step = base.step

            def step(self):
                if recorder.active and recorder.watch:
                    try:
                        recorder.note_instruction(self)
                    except Exception:  # never let the probe break Dynamo
                        pass
                return original_step(self)

            base.step = step
        if base is None or not hasattr(base, "starts_line"):  # pragma: no cover
            handler = _TraceSourceHandler(self)
            log = logging.getLogger("torch._dynamo.symbolic_convert.__trace_source")
            log.addHandler(handler)
            log.setLevel(logging.DEBUG)
        for name in ("create_unbacked_symint", "create_unbacked_symfloat", "create_unbacked_symbool"):
            original = getattr(_ShapeEnv, name, None)
            if original is None or getattr(original, "_compile_audit", False):
                continue

            def counting(self, *args, _original=original, **kwargs):
                if recorder.active:
                    recorder.unbacked += 1
                return _original(self, *args, **kwargs)

            counting._compile_audit = True
            setattr(_ShapeEnv, name, counting)

    def note_instruction(self, translator) -> None:
        """The instruction Dynamo is about to trace, when it is on a watched line: its position."""
        lines = self.watch.get(translator.f_code.co_filename)
        ip = translator.instruction_pointer
        if not lines or ip is None or ip >= len(translator.instructions):
            return
        where = getattr(translator.instructions[ip], "positions", None)
        if where is None or where.lineno not in lines or where.col_offset is None:
            return
        self.evaluated.setdefault(translator.f_code.co_filename, set()).add(
            (where.lineno, where.col_offset + 1, where.end_lineno or where.lineno, (where.end_col_offset or 0) + 1))

    def frames(self, stack) -> tuple[Optional[Frame], Optional[Frame]]:
        """(innermost frame in a user file, innermost frame overall when it is elsewhere)."""
        user = library = None
        for frame in reversed(list(stack or [])):
            # the instruction's position (Python 3.11+): its expression, or at least where it starts
            column = getattr(frame, "colno", None)
            end_line, end_column = getattr(frame, "end_lineno", None), getattr(frame, "end_colno", None)
            if column is None:
                end = (0, 0)
            elif end_line is not None and end_column is not None:
                end = (end_line, end_column + 1)
            else:
                end = (frame.lineno, column + 2)  # the start alone: one character
            entry = Frame(os.path.abspath(frame.filename), frame.lineno, (column or 0) + 1, frame.name, *end)
            if not self.is_user_file(frame.filename):
                library = library or entry
                continue
            user = entry
            break
        return user, library

    def break_record(self, exc: BaseException, mode: str) -> BreakRecord:
        """One break from one Dynamo exception: its type, code, explanation and frames."""
        stack = getattr(exc, "real_stack", None)
        if not stack:
            with contextlib.suppress(Exception):
                stack = torch._guards.TracingContext.extract_stack()
        user, library = self.frames(stack)
        if user is None:
            user = _frame_in_text(str(exc), self)
        inferred = user is None and self.last_line is not None
        if inferred:
            user = self.last_line
        gb_type = getattr(exc, "gb_type", None) or (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return BreakRecord(
            gb_type=gb_type, gb_code=gb_code_of(exc, gb_type), explanation=_explanation(str(exc)), frame=user,
            library_frame=library if (library and (user is None or library.file != user.file)) else None, mode=mode,
            frame_inferred=inferred,
        )


class _TraceHandler(logging.Handler):  # pragma: no cover - fallback for older torch
    def __init__(self, recorder: Recorder) -> None:
        super().__init__()
        self.recorder = recorder

    def emit(self, record: logging.LogRecord) -> None:
        metadata = getattr(record, "metadata", {}) or {}
        if not self.recorder.active or "artifact" not in metadata:
            return
        if metadata["artifact"].get("name") != "dynamo_graph_break_reason":
            return
        payload = getattr(record, "payload", "") or ""
        lines = payload.splitlines()
        gb_type = next((ln.strip() for ln in lines if ln.strip() in GB_CODES), lines[1] if len(lines) > 1 else "")
        match = _DOC_LINK.search(payload)
        self.recorder.breaks.append(BreakRecord(
            gb_type, f"GB{match.group(1)}" if match else GB_CODES.get(gb_type), _explanation(payload),
            _frame_in_text(payload, self.recorder)))


class _TraceSourceHandler(logging.Handler):  # pragma: no cover - fallback for older torch
    _LINE = re.compile(r"TRACE starts_line (.+):(\d+) in")

    def __init__(self, recorder: Recorder) -> None:
        super().__init__()
        self.recorder = recorder

    def emit(self, record: logging.LogRecord) -> None:
        if not self.recorder.active:
            return
        match = self._LINE.search(record.getMessage())
        if match and self.recorder.is_user_file(match.group(1)):
            self.recorder.lines.setdefault(os.path.abspath(match.group(1)), set()).add(int(match.group(2)))


def _frame_in_text(text: str, recorder: Recorder) -> Optional[Frame]:
    """The last ``File "...", line N`` of a Dynamo message that is in the user's files."""
    found = [(f, int(n)) for f, n in _FILE_LINE.findall(text) if recorder.is_user_file(f)]
    return Frame(os.path.abspath(found[-1][0]), found[-1][1]) if found else None


def unwrap(fn: Any) -> Any:
    """The callable under a ``torch.compile`` wrapper, so the runner compiles it its own way."""
    if isinstance(fn, torch._dynamo.eval_frame.OptimizedModule):
        return fn._orig_mod
    return getattr(fn, "_torchdynamo_orig_callable", fn)


def default_device(device: str):
    """``with torch.device(device)`` for a device other than the CPU (a no-op on the CPU)."""
    return contextlib.nullcontext() if device == "cpu" else torch.device(device)


def to_device(value: Any, device: str) -> Any:
    if device == "cpu":
        return value
    if isinstance(value, (torch.Tensor, torch.nn.Module)):
        return value.to(device)
    if isinstance(value, tuple):
        return tuple(to_device(v, device) for v in value)
    if isinstance(value, list):
        return [to_device(v, device) for v in value]
    if isinstance(value, dict):
        return {k: to_device(v, device) for k, v in value.items()}
    if not isinstance(value, (str, bytes, int, float, bool, type(None))) and callable(getattr(value, "to", None)):
        return value.to(device)  # e.g. FlexAttention's BlockMask
    return value


def _error_frame(exc: BaseException, recorder: Recorder) -> Optional[Frame]:
    """The innermost user frame of an exception: its Dynamo stack, else its traceback, else
    the ``File ..., line ...`` lines Dynamo appends to its messages."""
    user, _ = recorder.frames(getattr(exc, "real_stack", None))
    if user:
        return user
    user, _ = recorder.frames(traceback.extract_tb(exc.__traceback__))
    return user or _frame_in_text(str(exc), recorder)


def _causes(exc: BaseException):
    """The exception and the Dynamo exceptions it was raised from or during, outermost first."""
    from torch._dynamo import exc as dynamo_exc

    seen = set()
    while exc is not None and id(exc) not in seen and isinstance(exc, dynamo_exc.TorchDynamoException):
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def break_of(exc: BaseException, recorder: Recorder, mode: str) -> Optional[BreakRecord]:
    """The graph break an exception stands for, or None when it is not one (a user error that
    Dynamo re-raised, an inductor failure). A higher-order op (``torch.cond``) that fails as a
    whole carries the break of its body as its cause: the record takes type, code and frame
    from that cause, and names the op."""
    from torch._dynamo import exc as dynamo_exc

    if not isinstance(exc, dynamo_exc.TorchDynamoException) or isinstance(exc, dynamo_exc.BackendCompilerFailed) \
            or type(exc).__name__ == "FailOnRecompileLimitHit":
        return None
    chain = list(_causes(exc))
    unsupported = next((e for e in chain if isinstance(e, dynamo_exc.Unsupported)), None)
    hop = next((e for e in chain if type(e).__name__ == "UncapturedHigherOrderOpError"), None)
    if unsupported is not None:
        record = recorder.break_record(unsupported, mode)
    elif isinstance(exc, dynamo_exc.UserError):
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        record = BreakRecord(f"UserError: {first[:300]}", None, _explanation(str(exc)), _error_frame(exc, recorder),
                             mode=mode)
    elif hop is not None:
        record = BreakRecord(type(hop).__name__, None, _explanation(str(hop)), _error_frame(hop, recorder), mode=mode)
    else:
        # Dynamo raised something other than a graph break (InternalTorchDynamoError, a guard it
        # cannot build, an op that fails on fake tensors): the compile fails, it does not break
        return None
    if hop is not None:
        match = _HOP.search(str(hop))
        record.inside = match.group(1) if match else "a higher-order operator"
    return record


def verdict_of(exc: BaseException, recorder: Recorder) -> Verdict:
    """A ``fullgraph=True`` compile's exception as a verdict."""
    first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    record = break_of(exc, recorder, "fullgraph")
    if record is not None:
        return Verdict(BREAK, record, type(exc).__name__, first_line[:500], record.frame)
    if isinstance(exc, torch._dynamo.exc.BackendCompilerFailed):
        status = BACKEND_ERROR
    elif type(exc).__name__ == "FailOnRecompileLimitHit":
        status = RECOMPILE_LIMIT
    else:
        status = ERROR
    return Verdict(status, None, type(exc).__name__, first_line[:500], _error_frame(exc, recorder))


class State:
    """The state a target's calls run under, entered afresh around each call: ``no_grad``, and
    the ``Ambient`` a recorded call ran in (grad and inference mode, autocast, default dtype and
    device, deterministic algorithms, the project's Dynamo settings)."""

    def __init__(self, target) -> None:
        self.no_grad = bool(getattr(target, "no_grad", False))
        self.ambient = getattr(target, "ambient", None)
        self._stacks: list[contextlib.ExitStack] = []

    def __enter__(self) -> "State":
        stack = contextlib.ExitStack()
        ambient = self.ambient
        try:
            if self.no_grad or (ambient is not None and not ambient.grad):
                stack.enter_context(torch.no_grad())
            if ambient is not None:
                if ambient.inference_mode:
                    stack.enter_context(torch.inference_mode())
                for device, dtype in ambient.autocast:
                    stack.enter_context(torch.autocast(device_type=device, dtype=getattr(torch, dtype)))
                if ambient.default_dtype != "float32":
                    before = torch.get_default_dtype()
                    torch.set_default_dtype(getattr(torch, ambient.default_dtype))
                    stack.callback(torch.set_default_dtype, before)
                if ambient.default_device != "cpu":
                    stack.enter_context(torch.device(ambient.default_device))
                if ambient.deterministic:
                    before = torch.are_deterministic_algorithms_enabled()
                    torch.use_deterministic_algorithms(True, warn_only=True)
                    stack.callback(torch.use_deterministic_algorithms, before)
                if ambient.dynamo:
                    stack.enter_context(torch._dynamo.config.patch(dict(ambient.dynamo)))
        except BaseException:
            stack.close()
            raise
        self._stacks.append(stack)
        return self

    def __exit__(self, *exc) -> bool:
        return bool(self._stacks.pop().__exit__(*exc))


def _fresh(recorder: Recorder) -> None:
    torch._dynamo.reset()
    torch._dynamo.utils.counters.clear()
    recorder.reset()


def run_target(target, recorder: Recorder, backend: str, device: str,
               watch: Optional[dict[str, list[int]]] = None) -> Outcome:
    """Strict, then (unless the evidence says it would add nothing) survey, then (if needed)
    eager; then the watched lines that ran untraced, re-probed."""
    fn = to_device(unwrap(target.fn), device)
    args = to_device(tuple(target.args), device)
    kwargs = to_device(dict(target.kwargs), device)
    grad = State(target)
    out = Outcome()
    recorder.watch = {file: set(lines) for file, lines in (watch or {}).items()}
    evaluated: dict[str, set] = {}

    def keep_evaluated() -> None:
        for file, positions in recorder.evaluated.items():
            evaluated.setdefault(os.path.abspath(file), set()).update(positions)

    def call(compiled) -> None:
        with grad:
            compiled(*args, **kwargs)

    # strict: what a bare torch.compile(fn, fullgraph=True) does with the fresh target
    _fresh(recorder)
    recorder.active = True
    start = time.perf_counter()
    strict_error = None
    graph_ops: list[int] = []
    try:
        strict = torch.compile(fn, backend=counting_backend(backend, graph_ops), fullgraph=True)
        call(strict)
    except MemoryError:
        raise  # the worker reports it against the target
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        strict_error = exc
    finally:
        recorder.active = False
    out.timings["strict"] = time.perf_counter() - start
    out.strict = Verdict(COMPILED) if strict_error is None else verdict_of(strict_error, recorder)
    strict_lines, unbacked = recorder.lines, recorder.unbacked
    keep_evaluated()

    def eager_check() -> None:
        """Does the target fail without torch.compile too? (Dynamo's own error, raised by an
        op that runs Dynamo even eagerly, is a graph break instead.)"""
        torch._dynamo.reset()
        start = time.perf_counter()
        try:
            call(fn)
        except MemoryError:
            raise  # the worker reports it against the target
        except Exception as exc:  # noqa: BLE001
            record = break_of(exc, recorder, "default")
            message = (str(exc).strip().splitlines() or [""])[0][:500]
            if device != "cpu" and record is None and "device" in message:
                message += (f" (on --device {device} the runner moves the module and its inputs there: the "
                            "target makes other tensors on another device; it cannot run there as written)")
            out.eager_error = Failure("eager", message, type(exc).__name__, _error_frame(exc, recorder), brk=record)
        out.timings["eager"] = time.perf_counter() - start

    # a compiled call that raised: first, does the target run at all without torch.compile?
    if strict_error is not None:
        eager_check()
    broken = out.eager_error is not None and out.eager_error.brk is None
    survey_error = None
    if strict_error is None and not unbacked:
        out.survey_skipped = ("fullgraph=True compiled the target whole and allocated no unbacked symbol, "
                              "so the default mode compiles the same graph")
        out.lines = {f: sorted(v) for f, v in strict_lines.items()}
        out.metrics = Metrics(list(graph_ops))
        if target.recompile_args is not None:
            out.recompiles = _second_call(strict, target, device, grad, kwargs, recorder)
    elif broken:
        out.survey_skipped = "the target fails without torch.compile: fix it first"
        out.lines = {f: sorted(v) for f, v in strict_lines.items()}
    else:
        # survey: default mode, every break, and the traced lines
        _fresh(recorder)
        recorder.active = True
        start = time.perf_counter()
        graph_ops = []
        try:
            compiled = torch.compile(fn, backend=counting_backend(backend, graph_ops), fullgraph=False)
            call(compiled)
            out.metrics = Metrics(list(graph_ops), frames_skipped())
            if target.recompile_args is not None:
                out.recompiles = _second_call(compiled, target, device, grad, kwargs, recorder)
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001
            survey_error = exc
        finally:
            recorder.active = False
        out.timings["survey"] = time.perf_counter() - start
        keep_evaluated()
        breaks = list(recorder.breaks)
        if survey_error is not None:
            record = break_of(survey_error, recorder, "default")
            if record is not None:
                breaks.append(record)
        out.lines = {f: sorted(v) for f, v in recorder.lines.items()}
        # the default mode recovers from graph breaks: when it raised anyway, and no eager call
        # was made yet, does the target fail without torch.compile?
        if survey_error is not None and "eager" not in out.timings:
            eager_check()
        out.breaks = dedupe(breaks)
    if out.eager_error is not None and out.eager_error.brk is not None:
        record = out.eager_error.brk
        if all(record.site() != b.site() or record.gb_type != b.gb_type for b in out.breaks):
            out.breaks.append(record)  # Dynamo's own error, even eagerly: a graph break

    if out.metrics is not None and not broken:
        # the whole the graphs are a share of: the torch ops of one eager call
        torch._dynamo.reset()
        start = time.perf_counter()
        try:
            out.metrics.eager_ops = eager_ops(lambda: call(fn))
        except Exception:  # noqa: BLE001 - the share is left unknown
            out.metrics.eager_ops = None
        out.timings["eager_ops"] = time.perf_counter() - start
    out.evaluated = {file: sorted(list(p) for p in positions) for file, positions in evaluated.items()}
    recorder.watch = {}
    if watch and (out.breaks or survey_error is not None) and out.failure() is None:
        start = time.perf_counter()
        out.hidden = _hidden_lines(fn, call, out, watch, recorder, backend)
        out.timings["untraced"] = time.perf_counter() - start
    torch._dynamo.reset()
    return out


def _second_call(compiled, target, device: str, grad, kwargs: dict, recorder: Recorder) -> Recompiles:
    """Call the compiled target again with ``recompile_args``: how many frames Dynamo compiled
    anew, and the guard failures that made it (each with its user frame when Dynamo gives one)."""
    counters = torch._dynamo.utils.counters
    torch._dynamo.guard_failures.clear() if hasattr(torch._dynamo, "guard_failures") else None
    # frames converted (the default mode counts them) or graphs compiled (fullgraph=True does not
    # count frames)
    frames, graphs = counters["frames"]["total"], counters["stats"]["unique_graphs"]
    args = to_device(tuple(target.recompile_args), device)
    with grad:
        compiled(*args, **kwargs)
    count = (counters["frames"]["total"] - frames) or (counters["stats"]["unique_graphs"] - graphs)
    reasons = []
    for entries in getattr(torch._dynamo, "guard_failures", {}).values():
        for text in entries:
            reasons.append(GuardFailure(text.split("\n")[0].split("#")[0].split(":", 1)[-1].strip()[:300],
                                        _frame_in_text(text, recorder)))
    return Recompiles(count, reasons)


def dedupe(breaks: list[BreakRecord]) -> list[BreakRecord]:
    """The same break is logged once per frame that traces it (an inlined callee, then its
    own frame): keep one per (gb_type, file, line, column); two breaks of one line are two."""
    seen = set()
    out = []
    for item in breaks:
        key = (item.gb_type, item.site(), item.frame.column if item.frame else None)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


# -- lines that ran but were not traced ---------------------------------------------------------

def _hidden_lines(fn, call, out: Outcome, watch: dict[str, list[int]], recorder: Recorder, backend: str) -> list[Hidden]:
    """Run the target eagerly under a line tracer limited to the watched files: each watched
    line that runs without having been traced is reported, with the break that hid it, and
    re-probed with the values it ran with (the first time it ran)."""
    traced = {(f, n) for f, lines in out.lines.items() for n in lines}
    pending = {(os.path.abspath(f), n) for f, lines in watch.items() for n in lines} - traced
    if not pending:
        return []
    files = {f for f, _ in pending}
    seen: dict[tuple[str, int], tuple[dict, dict, str]] = {}

    def local(frame, event, arg):
        if event == "line":
            key = (frame.f_code.co_filename, frame.f_lineno)
            if key in pending and key not in seen:
                seen[key] = (dict(frame.f_locals), frame.f_globals, frame.f_code.co_name)
        return local

    def global_trace(frame, event, arg):
        return local if frame.f_code.co_filename in files else None

    torch._dynamo.reset()
    previous = sys.gettrace()
    sys.settrace(global_trace)
    try:
        call(fn)
    except Exception:  # noqa: BLE001 - the compiled passes already reported what matters
        pass
    finally:
        sys.settrace(previous)
    hidden = []
    for (file, line), (values, module_globals, function) in sorted(seen.items()):
        item = Hidden(file, line, hidden_by=_hiding_break(out.breaks, file, line, function))
        item.probe, item.probe_breaks, item.message = _reprobe(file, line, values, module_globals, recorder, backend)
        hidden.append(item)
    return hidden


def _hiding_break(breaks: list[BreakRecord], file: str, line: int, function: str) -> Optional[BreakRecord]:
    """The break after which Dynamo stopped tracing ``line``: the last one before it in the
    same function, else the last one in the same file before it, else the first one."""
    same_function = [b for b in breaks if b.frame and b.frame.file == file and b.frame.function == function
                     and b.frame.line < line]
    if same_function:
        return same_function[-1]
    same_file = [b for b in breaks if b.frame and b.frame.file == file and b.frame.line < line]
    if same_file:
        return same_file[-1]
    return breaks[0] if breaks else None


def _statement(tree: ast.AST, line: int) -> Optional[ast.stmt]:
    """The innermost statement that starts on ``line``, or whose header spans it."""
    found = None
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and node.lineno <= line <= (node.end_lineno or node.lineno):
            body = getattr(node, "body", None)
            header_end = body[0].lineno - 1 if isinstance(body, list) and body and isinstance(body[0], ast.stmt) \
                else node.end_lineno or node.lineno
            if line <= max(header_end, node.lineno) and (found is None or node.lineno >= found.lineno):
                found = node
    return found


_SIMPLE = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr, ast.Return, ast.Assert)


def _probe_body(node: ast.stmt) -> Optional[list[ast.stmt]]:
    """The statement to compile alone: a simple statement as it is, the header of an ``if``,
    ``while`` or ``for`` with an empty body."""
    if isinstance(node, _SIMPLE):
        return [node]
    if isinstance(node, (ast.If, ast.While)):
        end = node.test.end_lineno or node.lineno
        return [ast.If(test=node.test, body=[ast.Pass(lineno=end, col_offset=0, end_lineno=end, end_col_offset=0)],
                       orelse=[], lineno=node.lineno, col_offset=node.col_offset, end_lineno=end, end_col_offset=0)]
    if isinstance(node, ast.For):
        end = node.iter.end_lineno or node.lineno
        return [ast.For(target=node.target, iter=node.iter,
                        body=[ast.Break(lineno=end, col_offset=0, end_lineno=end, end_col_offset=0)],
                        orelse=[], lineno=node.lineno, col_offset=node.col_offset, end_lineno=end, end_col_offset=0)]
    return None


def _reprobe(file: str, line: int, values: dict, module_globals: dict, recorder: Recorder,
             backend: str) -> tuple[str, list[BreakRecord], str]:
    """Compile the statement at ``file:line`` alone (default mode) with the values it ran with.
    The probe function is compiled from the file's own source, at the same file name and line
    numbers, so Dynamo's breaks point at the user's line."""
    try:
        tree = ast.parse(Path(file).read_text(encoding="utf-8"), filename=file)
    except (OSError, SyntaxError, ValueError) as exc:
        return "failed", [], f"cannot read the source: {exc}"
    node = _statement(tree, line)
    body = _probe_body(node) if node is not None else None
    if body is None:
        return "failed", [], "the statement on this line cannot be compiled alone"
    names = sorted({n.id for stmt in body for n in ast.walk(stmt) if isinstance(n, ast.Name)})
    if "super" in names or any(isinstance(n, (ast.Yield, ast.YieldFrom, ast.Await, ast.NamedExpr))
                               for stmt in body for n in ast.walk(stmt)):
        return "failed", [], "the statement needs its enclosing function (super(), yield, await or :=)"
    params = [n for n in names if n in values]
    function = ast.FunctionDef(
        name="__compile_audit_probe__",
        args=ast.arguments(posonlyargs=[], args=[ast.arg(arg=n) for n in params], kwonlyargs=[], kw_defaults=[],
                           defaults=[]),
        body=body, decorator_list=[], returns=None, lineno=node.lineno, col_offset=0,
        end_lineno=max(b.end_lineno or b.lineno for b in body), end_col_offset=0)
    if "type_params" in ast.FunctionDef._fields:
        function.type_params = []
    module = ast.fix_missing_locations(ast.Module(body=[function], type_ignores=[]))
    try:
        code = compile(module, file, "exec")
    except (SyntaxError, ValueError) as exc:
        return "failed", [], f"cannot compile the statement alone: {exc}"
    function_code = next(c for c in code.co_consts if isinstance(c, types.CodeType))
    probe = types.FunctionType(function_code, module_globals)
    _fresh(recorder)
    recorder.active = True
    error = None
    try:
        torch.compile(probe, backend=backend, fullgraph=False)(*[values[n] for n in params])
    except Exception as exc:  # noqa: BLE001
        error = exc
    finally:
        recorder.active = False
    here = [b for b in recorder.breaks if b.site() == (file, line)]
    if error is not None:
        record = break_of(error, recorder, "default")
        if record is not None and record.site() == (file, line):
            here.append(record)
    here = dedupe(here)
    traced = line in recorder.lines.get(file, set())
    torch._dynamo.reset()
    if here:
        return BREAK, here, ""
    if error is not None:
        return "failed", [], f"the statement alone raised {type(error).__name__}: {str(error).strip()[:200]}"
    if not traced:
        return "failed", [], "Dynamo did not trace the statement alone"
    return COMPILED, [], ""
