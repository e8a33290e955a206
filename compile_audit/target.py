"""What an audit target returns: the callable to compile and the inputs to call it with.

Audit targets are module-level ``audit_*`` functions without arguments, in files named
``audit_*.py`` or ``*_audit.py`` (collected like pytest tests). Each returns a ``Target`` or a
plain tuple ``(fn, args)`` / ``(fn, args, kwargs)``. This module must not import torch: the
static layer imports ``compile_audit`` too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Callable, Optional


@dataclass
class Target:
    """A callable (function or ``nn.Module``) and the inputs the audit calls it with.

    ``no_grad=True`` runs both the eager reference call and the compiled calls under
    ``torch.no_grad()``: FlexAttention has no CPU backward, so attention targets on CPU
    usually ask for it.
    """

    fn: Callable[..., Any]
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    no_grad: bool = False
    #: inputs for a second call of the compiled target (same kwargs): the runner then
    #: reports whether, and why, Dynamo recompiled (the CA3xx hazards)
    recompile_args: Optional[tuple] = None
    #: the state torch runs every call under (``compile_audit.dynamic.protocol.Ambient``: grad
    #: mode, inference mode, autocast, default dtype and device, deterministic algorithms, Dynamo
    #: settings); a recorded target carries the state its call ran in
    ambient: Optional[Any] = None

    @classmethod
    def coerce(cls, value: Any) -> "Target":
        """Accept a ``Target`` or the tuple forms of the target convention."""
        if isinstance(value, Target):
            return value
        if isinstance(value, tuple) and 2 <= len(value) <= 3 and callable(value[0]):
            fn, args, *rest = value
            kwargs = rest[0] if rest else {}
            if not isinstance(args, (tuple, list)) or not isinstance(kwargs, dict):
                raise TypeError("an audit target tuple is (fn, args) or (fn, args, kwargs)")
            return cls(fn, tuple(args), dict(kwargs))
        raise TypeError(
            "an audit_* function must return compile_audit.Target(fn, args=..., kwargs=...) "
            f"or a tuple (fn, args[, kwargs]); got {type(value).__name__}"
        )


def audit_device() -> str:
    """The device the runner was asked for (``--device``), for factories that build inputs
    the runner cannot move itself, such as tensors captured by a FlexAttention ``mask_mod``.
    ``"cpu"`` outside the runner."""
    return os.environ.get("COMPILE_AUDIT_DEVICE", "cpu")
