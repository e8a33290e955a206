"""What a compiled call made of a target: how many graphs, how many ops in each, which
functions Dynamo gave up on and ran eagerly, and how many ops the target runs at all (runs in
the worker, beside ``probe``; the numbers land in ``Outcome.metrics``)."""

from __future__ import annotations

import re
from typing import Callable

from torch.overrides import TorchFunctionMode

from compile_audit.dynamic.protocol import SkippedFrame

#: FX nodes that are ops (placeholders, outputs and attribute reads are not)
OP_NODES = ("call_function", "call_method", "call_module")
#: Dynamo's note on a frame it ran eagerly after a break in a loop (GB7000's debug context)
_SKIPPED = re.compile(r"frame skipped: (?P<function>\S+) \((?P<file>.+?) line (?P<line>\d+)\)")
#: tensor metadata reads: no op in a graph either (Dynamo keeps them symbolic)
_METADATA = frozenset({"__get__", "size", "dim", "numel", "stride", "is_contiguous", "data_ptr", "element_size",
                       "__len__", "__format__", "__repr__", "__hash__", "__bool__", "__index__"})


def counting_backend(backend: str, graph_ops: list[int]) -> Callable:
    """``backend``, recording the op count of every graph it is given into ``graph_ops``."""
    from torch._dynamo.backends.registry import lookup_backend

    inner = lookup_backend(backend)

    def count(gm, example_inputs):
        graph_ops.append(sum(1 for node in gm.graph.nodes if node.op in OP_NODES))
        return inner(gm, example_inputs)

    return count


def frames_skipped() -> list[SkippedFrame]:
    """The frames Dynamo skipped since its counters were last cleared, from its own notes."""
    from torch._dynamo.utils import counters

    found: dict[tuple, SkippedFrame] = {}
    for group in ("unimplemented", "graph_break"):
        for reason in counters.get(group, {}):
            for match in _SKIPPED.finditer(str(reason)):
                frame = SkippedFrame(match["function"], match["file"], int(match["line"]))
                found.setdefault((frame.file, frame.line, frame.function), frame)
    return list(found.values())


class _OpCounter(TorchFunctionMode):
    def __init__(self) -> None:
        super().__init__()
        self.ops = 0

    def __torch_function__(self, func, types, args=(), kwargs=None):
        if getattr(func, "__name__", "") not in _METADATA:
            self.ops += 1
        return func(*args, **(kwargs or {}))


def eager_ops(call: Callable[[], object]) -> int:
    """How many torch ops one eager ``call()`` runs (functions and tensor methods, not metadata
    reads): the whole a compiled call's graphs are a share of."""
    counter = _OpCounter()
    with counter:
        call()
    return counter.ops

