"""Inside a worker: compile one target and record what Dynamo does. Imports torch.

Two passes, as ``../shared/notes/dynamo.md`` recommends for torch 2.13:

* the **survey** pass, ``torch.compile(fullgraph=False)``: every graph break Dynamo hits when
  it is allowed to continue (default-mode semantics, where ``.item()``, ``nonzero`` and
  boolean masks still break), and the source lines Dynamo traced;
* the **strict** pass, ``torch.compile(fullgraph=True)``: the verdict users of ``fullgraph``
  get (compiles, or the first break). It is skipped when the survey saw no break and no error:
  ``fullgraph=True`` only *adds* captures (scalar outputs, dynamic output shapes), so a target
  that compiles whole in default mode compiles whole under ``fullgraph=True`` too.

An eager call is made only when the survey's compiled call raised, to tell "the target fails
without torch.compile" (a broken target, or a FlexAttention mod that fails under vmap) from a
compile failure; such a target gets no strict pass.

Breaks are read from Dynamo's ``InstructionTranslatorBase.log_graph_break`` (the exception
object: ``gb_type``, ``real_stack``) and coverage from ``starts_line``; both are private, so
they are feature-detected, and when they are missing the probe falls back to the public
``torch.__trace`` structured-log stream and ``trace_source`` artifact logger.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import time
import traceback
from pathlib import Path
from typing import Any, Callable, Optional

import torch
import torch._dynamo

try:  # private, feature-detected
    from torch._dynamo import symbolic_convert as _sc
except ImportError:  # pragma: no cover
    _sc = None

_DOC_LINK = re.compile(r"compile-graph-break-site/(?:[\w./-]*/)?gb/gb(\d{4})")
_FILE_LINE = re.compile(r'File "([^"]+)", line (\d+)')


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


class Recorder:
    """Collects breaks and traced lines while Dynamo compiles; installed once per worker."""

    def __init__(self, is_user_file: Callable[[str], bool]) -> None:
        self.is_user_file = is_user_file
        self.breaks: list[dict] = []
        self.lines: dict[str, set[int]] = {}
        self.active = False
        self._install()

    def reset(self) -> None:
        self.breaks = []
        self.lines = {}

    # hooks --------------------------------------------------------------------------------
    def _install(self) -> None:
        base = getattr(_sc, "InstructionTranslatorBase", None)
        recorder = self
        if base is not None and hasattr(base, "log_graph_break"):
            original_log = base.log_graph_break

            def log_graph_break(self, code_options, reason, exc, *args, **kwargs):
                if recorder.active:
                    try:
                        recorder.record_break(exc, reason)
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
                        recorder.lines.setdefault(filename, set()).add(lineno)
                return original_starts(self, lineno)

            base.starts_line = starts_line
        else:  # pragma: no cover
            handler = _TraceSourceHandler(self)
            log = logging.getLogger("torch._dynamo.symbolic_convert.__trace_source")
            log.addHandler(handler)
            log.setLevel(logging.DEBUG)

    def frames(self, stack) -> tuple[Optional[dict], Optional[dict]]:
        """(innermost frame in a user file, innermost frame overall when it is elsewhere)."""
        user = library = None
        for frame in reversed(list(stack or [])):
            entry = {"file": frame.filename, "line": frame.lineno, "column": (getattr(frame, "colno", None) or 0) + 1,
                     "function": frame.name}
            if library is None and not self.is_user_file(frame.filename):
                library = entry
            if self.is_user_file(frame.filename):
                user = entry
                break
        return user, library

    def record_break(self, exc: BaseException, reason: str) -> None:
        stack = getattr(exc, "real_stack", None)
        if not stack:
            with contextlib.suppress(Exception):
                stack = torch._guards.TracingContext.extract_stack()
        user, library = self.frames(stack)
        gb_type = getattr(exc, "gb_type", None) or str(exc).strip().splitlines()[0]
        self.breaks.append(
            {
                "gb_type": gb_type,
                "gb_code": gb_code_of(exc, gb_type),
                "explanation": _explanation(str(exc)),
                "frame": user,
                "library_frame": library if (library and (user is None or library["file"] != user["file"])) else None,
                "mode": "default",
            }
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
        frames = [(f, int(n)) for f, n in _FILE_LINE.findall(payload) if self.recorder.is_user_file(f)]
        frame = {"file": frames[-1][0], "line": frames[-1][1], "column": 1, "function": ""} if frames else None
        lines = payload.splitlines()
        gb_type = next((ln.strip() for ln in lines if ln.strip() in GB_CODES), lines[1] if len(lines) > 1 else "")
        match = _DOC_LINK.search(payload)
        self.recorder.breaks.append(
            {"gb_type": gb_type, "gb_code": f"GB{match.group(1)}" if match else GB_CODES.get(gb_type),
             "explanation": _explanation(payload), "frame": frame, "library_frame": None, "mode": "default"}
        )


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
            self.recorder.lines.setdefault(match.group(1), set()).add(int(match.group(2)))


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


def _error_frame(exc: BaseException, recorder: Recorder) -> Optional[dict]:
    """The innermost user frame of an exception: its Dynamo stack, else its traceback, else
    the ``File ..., line ...`` lines Dynamo appends to its messages."""
    user, _ = recorder.frames(getattr(exc, "real_stack", None))
    if user:
        return user
    tb_frames = traceback.extract_tb(exc.__traceback__)
    user, _ = recorder.frames(tb_frames)
    if user:
        return user
    found = [(f, int(n)) for f, n in _FILE_LINE.findall(str(exc)) if recorder.is_user_file(f)]
    if found:
        return {"file": found[-1][0], "line": found[-1][1], "column": 1, "function": ""}
    return None


def classify(exc: BaseException, recorder: Recorder) -> dict:
    """A compile-time exception as a verdict."""
    from torch._dynamo import exc as dynamo_exc

    first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    verdict: dict[str, Any] = {
        "exception": type(exc).__name__,
        "message": first_line[:500],
        "frame": _error_frame(exc, recorder),
        "gb_type": None,
        "gb_code": None,
        "explanation": _explanation(str(exc)),
    }
    if isinstance(exc, dynamo_exc.Unsupported):
        gb_type = getattr(exc, "gb_type", None) or first_line
        verdict.update(status="break", gb_type=gb_type, gb_code=gb_code_of(exc, gb_type))
        user, library = recorder.frames(getattr(exc, "real_stack", None))
        if library and (user is None or library["file"] != user["file"]):
            verdict["library_frame"] = library
    elif isinstance(exc, dynamo_exc.UserError):
        verdict.update(status="break", gb_type=f"UserError: {first_line}")
    elif isinstance(exc, torch._dynamo.exc.BackendCompilerFailed):
        verdict.update(status="backend-error")
    elif type(exc).__name__ == "FailOnRecompileLimitHit":
        verdict.update(status="recompile-limit")
    elif isinstance(exc, dynamo_exc.TorchDynamoException):
        verdict.update(status="break", gb_type=type(exc).__name__)
    else:
        verdict.update(status="error")
    return verdict


def run_target(target, recorder: Recorder, backend: str, device: str) -> dict:
    """Survey, then (if needed) strict, then (if needed) eager. Returns the JSON result."""
    fn = to_device(unwrap(target.fn), device)
    args = to_device(tuple(target.args), device)
    kwargs = to_device(dict(target.kwargs), device)
    grad = torch.no_grad() if target.no_grad else contextlib.nullcontext()
    result: dict[str, Any] = {"timings": {}}

    def call(compiled) -> None:
        with grad:
            compiled(*args, **kwargs)

    # survey: default mode, every break, and the traced lines
    torch._dynamo.reset()
    torch._dynamo.utils.counters.clear()
    recorder.reset()
    recorder.active = True
    start = time.perf_counter()
    survey_error = None
    try:
        compiled = torch.compile(fn, backend=backend, fullgraph=False)
        call(compiled)
        if target.recompile_args is not None:
            result["recompiles"] = _second_call(compiled, target, device, grad, kwargs, recorder)
    except MemoryError:
        raise  # the worker reports it against the target
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        survey_error = exc
    finally:
        recorder.active = False
    result["timings"]["survey"] = time.perf_counter() - start
    breaks = _dedupe(recorder.breaks)
    lines = {f: sorted(v) for f, v in recorder.lines.items()}
    result["breaks"] = breaks
    result["lines"] = lines
    result["survey_error"] = classify(survey_error, recorder) if survey_error else None

    # eager: when the compiled call raised, does the target fail without torch.compile too?
    result["eager_error"] = None
    if survey_error is not None:
        torch._dynamo.reset()
        start = time.perf_counter()
        try:
            call(fn)
        except Exception as exc:  # noqa: BLE001
            result["eager_error"] = {
                "exception": type(exc).__name__,
                "message": (str(exc).strip().splitlines() or [""])[0][:500],
                "frame": _error_frame(exc, recorder),
            }
        result["timings"]["eager"] = time.perf_counter() - start

    # strict: fullgraph=True, only when the survey saw something and the target runs eagerly
    if result["eager_error"] is not None:
        result["fullgraph"] = {"status": "not-run", "message": "the target fails without torch.compile"}
    elif not breaks and survey_error is None:
        result["fullgraph"] = {"status": "compiled", "inferred": True}
    else:
        torch._dynamo.reset()
        start = time.perf_counter()
        try:
            call(torch.compile(fn, backend=backend, fullgraph=True))
            result["fullgraph"] = {"status": "compiled", "inferred": False}
        except Exception as exc:  # noqa: BLE001
            result["fullgraph"] = classify(exc, recorder)
        result["timings"]["strict"] = time.perf_counter() - start
    torch._dynamo.reset()
    return result


def _second_call(compiled, target, device: str, grad, kwargs: dict, recorder: Recorder) -> dict:
    """Call the compiled target again with ``recompile_args``: how many frames Dynamo compiled
    anew, and the guard failures that made it (each with its user frame when Dynamo gives one)."""
    counters = torch._dynamo.utils.counters
    torch._dynamo.guard_failures.clear() if hasattr(torch._dynamo, "guard_failures") else None
    before = counters["frames"]["total"]
    args = to_device(tuple(target.recompile_args), device)
    with grad:
        compiled(*args, **kwargs)
    count = counters["frames"]["total"] - before
    reasons = []
    for entries in getattr(torch._dynamo, "guard_failures", {}).values():
        for text in entries:
            frames = [(f, int(n)) for f, n in _FILE_LINE.findall(text) if recorder.is_user_file(f)]
            reasons.append({
                "reason": text.split("\n")[0].split("#")[0].split(":", 1)[-1].strip()[:300],
                "frame": {"file": frames[-1][0], "line": frames[-1][1], "column": 1, "function": ""} if frames else None,
            })
    return {"count": count, "reasons": reasons}


def _dedupe(breaks: list[dict]) -> list[dict]:
    """The same break is logged once per frame that traces it (an inlined callee, then its
    own frame): keep one per (gb_type, file, line)."""
    seen = set()
    out = []
    for item in breaks:
        frame = item.get("frame") or {}
        key = (item["gb_type"], frame.get("file"), frame.get("line"))
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
