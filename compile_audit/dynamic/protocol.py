"""What crosses a process boundary of the dynamic layer: typed records, serialised in one place.

* parent -> worker: a ``TargetRequest`` per target (one JSON line on the worker's stdin), and
  the worker's start settings (``WorkerStart``) in its environment, each setting once;
* worker -> parent: an ``Outcome`` per target. The worker (``probe``) builds it; it crosses as
  one JSON line (``Outcome.to_json`` / ``Outcome.from_json``); ``reconcile``, the reporters and
  the pytest plugin read the same dataclasses;
* a recorded program -> the parent: a ``RecordedCall`` per line of ``index.jsonl``.

No torch here, and no ``compile_audit`` import: the parent process never imports torch, and the
recorder loads this file by its path inside the recorded program.

Every graph break is one ``BreakRecord``: its type, its GB code and its frames come from the
same Dynamo exception, so they are always shown together.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Optional

#: the statuses of the ``fullgraph=True`` pass
COMPILED, BREAK, ERROR, BACKEND_ERROR, RECOMPILE_LIMIT, NOT_RUN = (
    "compiled", "break", "error", "backend-error", "recompile-limit", "not-run")
COMPILE_FAILURES = (ERROR, BACKEND_ERROR, RECOMPILE_LIMIT)


@dataclass(frozen=True)
class Frame:
    file: str
    line: int
    column: int = 1
    function: str = ""
    #: where the instruction's expression ends (Python's position tables; 0: not known) and
    #: whether ``column`` is known (a frame Dynamo gives without a position starts at column 1)
    end_line: int = 0
    end_column: int = 0

    @classmethod
    def load(cls, data: Optional[dict]) -> Optional["Frame"]:
        if not data:
            return None
        return cls(data["file"], int(data["line"]), int(data.get("column") or 1), data.get("function") or "",
                   int(data.get("end_line") or 0), int(data.get("end_column") or 0))

    @property
    def positioned(self) -> bool:
        """Whether the frame names the expression (its columns), not only the line."""
        return self.end_line > 0


@dataclass
class BreakRecord:
    """One graph break Dynamo hit: type, code, explanation and frames of one exception."""

    gb_type: str
    gb_code: Optional[str] = None
    explanation: str = ""
    #: the innermost frame in the user's files, if any
    frame: Optional[Frame] = None
    #: the innermost frame overall, when it is in a library (torch, a dependency)
    library_frame: Optional[Frame] = None
    #: "default" (survey pass, fullgraph=False) or "fullgraph" (the strict pass)
    mode: str = "default"
    #: the higher-order operator whose body broke ("torch.cond"), which fails as a whole
    inside: Optional[str] = None
    #: Dynamo gave no user frame (it raised outside any instruction, compiling the graph at a
    #: return): ``frame`` is the last user line it traced
    frame_inferred: bool = False

    @classmethod
    def load(cls, data: Optional[dict]) -> Optional["BreakRecord"]:
        if not data:
            return None
        return cls(data.get("gb_type") or "", data.get("gb_code"), data.get("explanation") or "",
                   Frame.load(data.get("frame")), Frame.load(data.get("library_frame")), data.get("mode") or "default",
                   data.get("inside"), bool(data.get("frame_inferred")))

    def site(self) -> Optional[tuple[str, int]]:
        return (self.frame.file, self.frame.line) if self.frame else None

    def describe(self) -> str:
        """``Failed to trace builtin operator (GB0059)``: type and code of this one record."""
        return f"{self.gb_type} ({self.gb_code})" if self.gb_code else self.gb_type


@dataclass
class Failure:
    """Something other than a graph break: the target could not be imported or built, timed
    out, crashed the worker, or fails without ``torch.compile`` too (``kind`` says which)."""

    kind: str  # import, factory, exit, memory, timeout, crash, start, internal, eager
    message: str
    exception: Optional[str] = None
    frame: Optional[Frame] = None
    traceback: Optional[str] = None
    #: (eager) the error is Dynamo's own: an op that runs Dynamo even in eager mode
    #: (``torch.cond``, FlexAttention's mods) failed to trace; this is that graph break
    brk: Optional["BreakRecord"] = None

    @classmethod
    def load(cls, data: Optional[dict]) -> Optional["Failure"]:
        if not data:
            return None
        return cls(data.get("kind") or "internal", data.get("message") or "", data.get("exception"),
                   Frame.load(data.get("frame")), data.get("traceback"), BreakRecord.load(data.get("brk")))


@dataclass
class Verdict:
    """The ``torch.compile(fn, fullgraph=True)`` pass: what a bare strict compile does."""

    status: str = COMPILED
    #: the break it stopped at (status "break")
    brk: Optional[BreakRecord] = None
    exception: Optional[str] = None
    message: str = ""
    frame: Optional[Frame] = None

    @classmethod
    def load(cls, data: Optional[dict]) -> "Verdict":
        if not data:
            return cls(NOT_RUN)
        return cls(data.get("status") or NOT_RUN, BreakRecord.load(data.get("brk")), data.get("exception"),
                   data.get("message") or "", Frame.load(data.get("frame")))


@dataclass
class GuardFailure:
    reason: str
    frame: Optional[Frame] = None


@dataclass
class Recompiles:
    """The second call (``Target.recompile_args``): how many frames Dynamo compiled anew and why."""

    count: int
    reasons: list[GuardFailure] = field(default_factory=list)

    @classmethod
    def load(cls, data: Optional[dict]) -> Optional["Recompiles"]:
        if data is None:
            return None
        return cls(int(data.get("count") or 0),
                   [GuardFailure(r.get("reason") or "", Frame.load(r.get("frame"))) for r in data.get("reasons") or []])


@dataclass
class SkippedFrame:
    """A function Dynamo gave up on and ran eagerly (a break inside a loop: GB7000)."""

    function: str
    file: str
    line: int


@dataclass
class Metrics:
    """What the compiled call made of the target (the first call; ``recompiles`` the second)."""

    #: ops (FX call nodes) of each graph Dynamo compiled, in order
    graph_ops: list[int] = field(default_factory=list)
    frames_skipped: list[SkippedFrame] = field(default_factory=list)
    #: torch ops the target runs in one eager call (None: not counted)
    eager_ops: Optional[int] = None

    @property
    def graphs(self) -> int:
        return len(self.graph_ops)

    def ops_text(self, most: Optional[int] = None) -> str:
        """`` (3+1 ops)``, the ops of each graph (their sum past ``most`` graphs); "" for none."""
        if not self.graph_ops:
            return ""
        if most is not None and len(self.graph_ops) > most:
            return f" ({sum(self.graph_ops)} ops)"
        return f" ({'+'.join(map(str, self.graph_ops))} ops)"

    def ops_in_graphs(self) -> Optional[float]:
        """The share of the target's ops that ran inside graphs (None when not counted)."""
        if not self.eager_ops:
            return None
        return round(min(1.0, sum(self.graph_ops) / self.eager_ops), 3)

    @classmethod
    def load(cls, data: Optional[dict]) -> Optional["Metrics"]:
        if data is None:
            return None
        return cls([int(n) for n in data.get("graph_ops") or []],
                   [SkippedFrame(f.get("function") or "", f.get("file") or "", int(f.get("line") or 0))
                    for f in data.get("frames_skipped") or []],
                   data.get("eager_ops"))


@dataclass
class Hidden:
    """A watched line (one a static finding flags) that ran but that Dynamo did not trace:
    an earlier break made it run the rest of the frame eagerly, or skip the frame."""

    file: str
    line: int
    #: the break after which Dynamo stopped tracing this line's frame
    hidden_by: Optional[BreakRecord] = None
    #: the re-probe of the line's statement alone, with the values it ran with:
    #: "break", "compiled", or "failed" (no verdict; ``message`` says why), "" when not probed
    probe: str = ""
    probe_breaks: list[BreakRecord] = field(default_factory=list)
    message: str = ""

    @classmethod
    def load(cls, data: dict) -> "Hidden":
        return cls(data["file"], int(data["line"]), BreakRecord.load(data.get("hidden_by")), data.get("probe") or "",
                   [BreakRecord.load(b) for b in data.get("probe_breaks") or []], data.get("message") or "")


@dataclass
class Outcome:
    """Everything the worker learnt about one target."""

    #: default-mode breaks (survey pass), in the order Dynamo hit them
    breaks: list[BreakRecord] = field(default_factory=list)
    strict: Verdict = field(default_factory=lambda: Verdict(NOT_RUN))
    #: file -> lines Dynamo traced
    lines: dict[str, list[int]] = field(default_factory=dict)
    #: file -> the positions ``[line, column, end line, end column]`` (1-based, end exclusive) of
    #: the instructions Dynamo traced on watched lines: which expressions it evaluated
    evaluated: dict[str, list[list[int]]] = field(default_factory=dict)
    #: watched lines that ran without being traced
    hidden: list[Hidden] = field(default_factory=list)
    #: why the survey pass was skipped ("" when it ran)
    survey_skipped: str = ""
    eager_error: Optional[Failure] = None
    #: the target could not run at all (import, factory, timeout, crash, ...)
    error: Optional[Failure] = None
    recompiles: Optional[Recompiles] = None
    metrics: Optional[Metrics] = None
    output: str = ""
    #: {"kept": bytes, "dropped": bytes} when the target flooded its output
    flood: Optional[dict] = None
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    # -- the one answer to "did this target fail" ------------------------------------------
    def failure(self) -> Optional[str]:
        """Why the target failed as a target (not by breaking the graph): ``"error"`` (it could
        not run), ``"eager"`` (it fails without torch.compile, and not in Dynamo: an eager
        failure that is Dynamo's own error is a graph break, in ``breaks``), ``"compile"``
        (torch.compile raised something other than a graph break), ``"flood"`` (its output was
        cut), else None."""
        if self.error is not None:
            return "error"
        if self.eager_error is not None and self.eager_error.brk is None:
            return "eager"
        if self.strict.status in COMPILE_FAILURES:
            return "compile"
        if self.flood:
            return "flood"
        return None

    def lines_traced(self) -> int:
        return sum(len(v) for v in self.lines.values())

    # -- serialisation: the only place ----------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict())

    @classmethod
    def from_dict(cls, data: dict) -> "Outcome":
        return cls(
            breaks=[BreakRecord.load(b) for b in data.get("breaks") or []],
            strict=Verdict.load(data.get("strict")),
            lines={f: list(v) for f, v in (data.get("lines") or {}).items()},
            evaluated={f: [list(p) for p in v] for f, v in (data.get("evaluated") or {}).items()},
            hidden=[Hidden.load(h) for h in data.get("hidden") or []],
            survey_skipped=data.get("survey_skipped") or "",
            eager_error=Failure.load(data.get("eager_error")),
            error=Failure.load(data.get("error")),
            recompiles=Recompiles.load(data.get("recompiles")),
            metrics=Metrics.load(data.get("metrics")),
            output=data.get("output") or "",
            flood=data.get("flood"),
            seconds=float(data.get("seconds") or 0.0),
            timings=dict(data.get("timings") or {}),
        )

    @classmethod
    def from_json(cls, line: str) -> "Outcome":
        return cls.from_dict(json.loads(line))

    @classmethod
    def failed(cls, kind: str, message: str, **extra: Any) -> "Outcome":
        return cls(strict=Verdict(NOT_RUN, message=message), error=Failure(kind, message, **extra))


# -- what the parent asks: one request per target, the worker's start settings -----------------

@dataclass(frozen=True)
class SynthSpec:
    """The input of a synthesized target (``compile_audit.dynamic.synth``): a float tensor of
    ``shape``, or token ids in ``[0, high)`` (``kind`` "long")."""

    kind: str  # "float" or "long"
    shape: tuple[int, ...]
    high: Optional[int] = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "shape": list(self.shape)}
        if self.high is not None:
            data["high"] = self.high
        return data

    @classmethod
    def load(cls, data: Optional[dict]) -> Optional["SynthSpec"]:
        if not data:
            return None
        high = data.get("high")
        return cls(data["kind"], tuple(int(n) for n in data["shape"]), None if high is None else int(high))


@dataclass(frozen=True)
class Ambient:
    """The state torch was in around a call, beyond its arguments: a recorded call is replayed
    under the state it ran in (a test's ``torch.no_grad()``, ``torch.autocast``, the project's
    Dynamo settings), and its target's label says which."""

    grad: bool = True
    inference_mode: bool = False
    #: (device type, dtype name) of each autocast in effect: ``("cpu", "bfloat16")``
    autocast: tuple[tuple[str, str], ...] = ()
    default_dtype: str = "float32"
    default_device: str = "cpu"
    deterministic: bool = False
    #: the Dynamo settings (``torch._dynamo.config``) that differ from their defaults, simple
    #: values only: ``(("capture_scalar_outputs", True),)``
    dynamo: tuple[tuple[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The settings that differ from a plain process's (empty: nothing to restore)."""
        plain = Ambient()
        data: dict[str, Any] = {}
        for name in ("grad", "inference_mode", "default_dtype", "default_device", "deterministic"):
            if getattr(self, name) != getattr(plain, name):
                data[name] = getattr(self, name)
        if self.autocast:
            data["autocast"] = [list(pair) for pair in self.autocast]
        if self.dynamo:
            data["dynamo"] = {name: value for name, value in self.dynamo}
        return data

    @classmethod
    def load(cls, data: Optional[dict]) -> Optional["Ambient"]:
        if not data:
            return None
        return cls(bool(data.get("grad", True)), bool(data.get("inference_mode", False)),
                   tuple((str(d), str(t)) for d, t in data.get("autocast") or ()),
                   str(data.get("default_dtype") or "float32"), str(data.get("default_device") or "cpu"),
                   bool(data.get("deterministic", False)), tuple(sorted((data.get("dynamo") or {}).items())))

    def describe(self) -> str:
        """``no_grad, autocast(cpu, bfloat16)``: what a target's label says it ran under."""
        parts = []
        if self.inference_mode:
            parts.append("inference_mode")
        elif not self.grad:
            parts.append("no_grad")
        parts += [f"autocast({device}, {dtype})" for device, dtype in self.autocast]
        if self.default_dtype != "float32":
            parts.append(f"default dtype {self.default_dtype}")
        if self.default_device != "cpu":
            parts.append(f"default device {self.default_device}")
        if self.deterministic:
            parts.append("deterministic algorithms")
        parts += [f"dynamo {name}={value!r}" for name, value in self.dynamo]
        return ", ".join(parts)


@dataclass(frozen=True)
class RecordedSpec:
    """A recorded target (``compile_audit.dynamic.recorded``): the snapshot of its first call
    (``second``: of a call with other shapes), and how to find the function again."""

    snapshot: str
    module: str
    #: the class of a method (the snapshot's first argument is then ``self``), else None
    cls: Optional[str]
    name: str
    second: Optional[str] = None
    #: folders to put on ``sys.path`` so that the snapshot's classes import
    paths: tuple[str, ...] = ()
    #: the state the call ran in (None: a plain process's)
    ambient: Optional[Ambient] = None

    def to_dict(self) -> dict[str, Any]:
        return {"snapshot": self.snapshot, "module": self.module, "class": self.cls, "name": self.name,
                "second": self.second, "paths": list(self.paths),
                "ambient": self.ambient.to_dict() if self.ambient else None}

    @classmethod
    def load(cls, data: Optional[dict]) -> Optional["RecordedSpec"]:
        if not data:
            return None
        return cls(data["snapshot"], data["module"], data.get("class"), data["name"], data.get("second"),
                   tuple(data.get("paths") or ()), Ambient.load(data.get("ambient")))


@dataclass(frozen=True)
class TargetRequest:
    """One target for a worker to run: the only thing the parent sends on a worker's stdin
    (one ``to_json`` line each). The device travels here, and only here."""

    id: int
    file: str
    #: an ``audit_*`` function, the class of a synthesized target, the qualname of a recorded one
    function: str
    backend: str = "eager"
    device: str = "cpu"
    #: file -> the lines static findings flag (the worker reports those that ran untraced)
    watch: dict[str, list[int]] = field(default_factory=dict)
    recorded: Optional[RecordedSpec] = None
    synthesized: Optional[SynthSpec] = None

    def to_json(self) -> str:
        return json.dumps({
            "id": self.id, "file": self.file, "function": self.function, "backend": self.backend,
            "device": self.device, "watch": {f: list(v) for f, v in self.watch.items()},
            "recorded": self.recorded.to_dict() if self.recorded else None,
            "synthesized": self.synthesized.to_dict() if self.synthesized else None,
        })

    @classmethod
    def from_json(cls, line: str) -> "TargetRequest":
        data = json.loads(line)
        return cls(int(data["id"]), data["file"], data["function"], data["backend"], data["device"],
                   {f: [int(n) for n in v] for f, v in (data.get("watch") or {}).items()},
                   RecordedSpec.load(data.get("recorded")), SynthSpec.load(data.get("synthesized")))


#: the environment variables of a worker's start settings (``WorkerStart``)
ROOTS_VARIABLE = "COMPILE_AUDIT_ROOTS"
MEMORY_LIMIT_VARIABLE = "COMPILE_AUDIT_MEMORY_LIMIT"
#: set by the worker while a target runs, from the request's device (``compile_audit.audit_device``)
DEVICE_VARIABLE = "COMPILE_AUDIT_DEVICE"


@dataclass(frozen=True)
class WorkerStart:
    """What a worker needs before its first request, so it travels in its start environment,
    and only there: the folders whose files are the user's (its break attribution is set up
    once), and the memory allowance (the cap is set once, after torch is imported)."""

    roots: tuple[str, ...] = ()
    #: bytes a target may allocate beyond what the worker uses once torch is imported
    memory_limit: Optional[int] = None

    def to_env(self) -> dict[str, str]:
        env = {ROOTS_VARIABLE: json.dumps(list(self.roots))}
        if self.memory_limit:
            env[MEMORY_LIMIT_VARIABLE] = str(self.memory_limit)
        return env

    @classmethod
    def from_env(cls, environ: Any) -> "WorkerStart":
        limit = environ.get(MEMORY_LIMIT_VARIABLE)
        return cls(tuple(json.loads(environ.get(ROOTS_VARIABLE) or "[]")), int(limit) if limit else None)


# -- what a recorded program writes: one line of ``index.jsonl`` per recorded call -------------

@dataclass(frozen=True)
class RecordedCall:
    """One call the recorder (``compile_audit.dynamic.recorder``) saw: the snapshot it saved,
    or why it could not (``error``). ``call`` 1 is the first call of a function with these
    flags, 2 the one with other shapes; ``variant`` numbers the flag combinations."""

    key: str
    variant: int
    call: int
    #: the test (``PYTEST_CURRENT_TEST``) or the command line that made the call
    source: str
    file: str
    module: str
    cls: Optional[str]
    name: str
    line: int
    method: bool
    #: the flags of a variant that differ from the first call's ("" for variant 0)
    flags: str = ""
    #: the snapshot's file name, in the recordings folder; None when it failed
    snapshot: Optional[str] = None
    paths: tuple[str, ...] = ()
    error: Optional[str] = None
    #: the state the call ran in (``Ambient.to_dict``: only what differs from a plain process)
    ambient: dict = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps({
            "key": self.key, "variant": self.variant, "call": self.call, "source": self.source, "file": self.file,
            "module": self.module, "class": self.cls, "name": self.name, "line": self.line, "method": self.method,
            "flags": self.flags, "snapshot": self.snapshot, "paths": list(self.paths), "error": self.error,
            "ambient": self.ambient,
        }, default=str)

    @classmethod
    def from_json(cls, line: str) -> "RecordedCall":
        data = json.loads(line)
        return cls(data["key"], int(data.get("variant") or 0), int(data["call"]), data.get("source") or "",
                   data["file"], data.get("module") or "", data.get("class"), data["name"], int(data.get("line") or 0),
                   bool(data.get("method")), data.get("flags") or "", data.get("snapshot"),
                   tuple(data.get("paths") or ()), data.get("error"), dict(data.get("ambient") or {}))
