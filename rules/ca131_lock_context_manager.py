from typing import Optional

import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid
from compile_audit.analysis.held import held_values

#: lock types -> (GB code on torch < 2.14, on torch >= 2.14) of ``with lock:`` on a lock made
#: elsewhere (an attribute, a module global)
HELD = {
    "threading.Lock": ("GB0142", "GB0142"),
    "threading.RLock": ("GB0142", "GB0142"),
    "threading.Semaphore": ("GB0142", "GB0156"),
    "threading.BoundedSemaphore": ("GB0142", "GB0156"),
    "threading.Condition": ("GB0142", "GB0156"),
    "multiprocessing.Lock": ("GB0142", "GB0156"),
    "multiprocessing.RLock": ("GB0142", "GB0156"),
}
REASONS = {
    "GB0142": "does not support it as a context manager",
    "GB0156": "cannot trace its `__enter__`",
}


class LockContextManager(Rule):
    code = "CA131"
    name = "lock-context-manager"
    severity = "error"
    message = "`with {item}:` in compiled code: `{item}` is a `{kind}`; Dynamo {reason} and breaks the graph ({gb})"
    what = (
        "Flags `with lock:` inside compiled code when the lock is a `threading.Lock`, `RLock`, "
        "`Semaphore`, `BoundedSemaphore` or `Condition` (or a `multiprocessing.Lock`/`RLock`): "
        "`self._lock` assigned one in the class or an in-file base (`__init__` or the class "
        "body), or a module-level lock. (A lock made in the compiled code itself, "
        "`with threading.Lock():`, is CA122's finding: the constructor already breaks.)"
    )
    why = (
        "Locks are OS-level synchronisation objects: Dynamo cannot put acquiring and releasing "
        "them into a graph. It rejects them as context managers (GB0142; on torch 2.14 the "
        "Python-level `Semaphore`/`Condition` fail inside their `__enter__`, GB0156), so the "
        "function is split at the `with` statement, or not compiled at all."
    )
    fix_safety = (
        "No automatic fix: take the lock outside the compiled region (around the call of the "
        "compiled module), or keep the locked bookkeeping in a `torch.compiler.disable`d helper."
    )
    gb_codes = ("GB0142", "GB0156")
    verdict = (
        "torch 2.13: breaks in every mode (GB0142 for every lock type). torch 2.14.1: GB0142 for "
        "`Lock`/`RLock`, GB0156 for `Semaphore`/`BoundedSemaphore`/`Condition` and "
        "`multiprocessing` locks. `contextlib.nullcontext()` and `warnings.catch_warnings()` compile."
    )
    VALID = [
        Valid(
            """
            import threading

            import torch
            from torch import nn


            class Registry(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.fc = nn.Linear(8, 8)
                    self.scales = {"base": 2.0}
                    self._lock = threading.Lock()

                def register_scale(self, name, value):  # called eagerly, outside forward
                    with self._lock:
                        self.scales[name] = value

                def forward(self, x):
                    return self.fc(x) * self.scales["base"]
            """,
            target="Registry(), (torch.randn(2, 8),)",
        ),
        Valid(
            """
            import contextlib
            import threading

            import torch
            from torch import nn


            class Counter(nn.Module):
                def __init__(self, thread_safe: bool = False):
                    super().__init__()
                    self.fc = nn.Linear(8, 8)
                    self._lock = threading.Lock() if thread_safe else contextlib.nullcontext()

                def forward(self, x):
                    with contextlib.nullcontext():
                        y = self.fc(x)
                    return y
            """,
            target="Counter(), (torch.randn(2, 8),)",
        ),
        Valid(
            """
            import contextlib
            import threading

            import torch

            _LOCK = threading.Lock()


            @torch.compile
            def step(x):
                _LOCK = contextlib.nullcontext()  # a local that shadows the module's lock
                with _LOCK:
                    x = x + 1
                return x * 2


            def update(x):
                with _LOCK:  # eager code
                    return step(x)
            """,
            target="step, (torch.ones(2),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import threading

            import torch
            from torch import nn


            class ThreadSafeCounter(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.fc = nn.Linear(8, 8)
                    self._lock = threading.Lock()
                    self.calls = []

                def forward(self, x):
                    with self._lock:
                        self.calls.append(1)
                    return self.fc(x)
            """,
            line=15,
            target="ThreadSafeCounter(), (torch.randn(2, 8),)",
        ),
        Invalid(
            """
            import threading

            import torch

            _CACHE_LOCK = threading.RLock()
            _CACHE = {}


            @torch.compile
            def lookup(x):
                with _CACHE_LOCK:
                    scale = _CACHE.get("scale", 2.0)
                return x * scale
            """,
            line=11,
            target="lookup, (torch.ones(2),)",
        ),
        Invalid(
            """
            import threading

            import torch
            from torch import nn


            class Pool(nn.Module):
                _slots = threading.Semaphore(4)

                def forward(self, x):
                    with self._slots:
                        y = x.relu()
                    return y * 2
            """,
            line=11,
            target="Pool(), (torch.randn(2, 8),)",
        ),
        Invalid(
            """
            import threading

            import torch
            from torch import nn


            class Synchronized(nn.Module):
                def __init__(self):
                    super().__init__()
                    self._ready = threading.Condition()


            class Block(Synchronized):
                def __init__(self):
                    super().__init__()
                    self.fc = nn.Linear(8, 8)

                def forward(self, x):
                    with self._ready:
                        h = self.fc(x)
                    return h.relu()
            """,
            line=19,
            target="Block(), (torch.randn(2, 8),)",
        ),
    ]

    def visit_With(self, node: cst.With) -> None:
        for item in node.items:
            found = self._lock(item.item)
            if found is not None:
                kind, gb = found
                self.report(node, item=self.source(item.item), kind=kind, reason=REASONS[gb], gb=gb)
                return

    def _lock(self, expr: cst.BaseExpression) -> Optional[tuple[str, str]]:
        """(the lock's type, the GB code) when ``expr`` is a lock."""
        if isinstance(expr, cst.Call):
            return None  # `with threading.Lock():` -- the constructor call is CA122's finding
        values = held_values(self.context, expr)
        kinds = {self.qualified_name(v.func) if isinstance(v, cst.Call) else None for v in values}
        if len(kinds) != 1:
            return None
        kind = kinds.pop()
        if kind not in HELD:
            return None
        old, new = HELD[kind]
        return kind, old if self.on_torch("<2.14") else new
