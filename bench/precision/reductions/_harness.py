"""What every reduction calls: run a function under Dynamo (eager backend, torch 2.13) and
print one verdict line last.

``check(fn, *args, mode="fullgraph")`` prints BREAKS when ``torch.compile(fn, fullgraph=True)``
raises a graph-break error; ``mode="default"`` prints BREAKS when plain ``torch.compile``
(``fullgraph=False``) splits the graph (counted by Dynamo's ``graph_break`` counter); otherwise
COMPILES. ``mode="recompile"`` calls the compiled fn on each argument tuple in ``calls`` and
prints BREAKS when Dynamo recompiled. ``claim(holds, why)`` is for rules whose claim is not
a graph break (dead code, speed): it prints HOLDS or FAILS.
"""

from __future__ import annotations

import sys

import torch
import torch._dynamo


def check(fn, *args, mode: str = "fullgraph", **kwargs) -> str:
    torch._dynamo.reset()
    if mode == "fullgraph":
        try:
            torch.compile(fn, fullgraph=True, backend="eager")(*args, **kwargs)
        except Exception as exc:  # Unsupported, UserError, data-dependent errors ...
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            print(f"{type(exc).__name__}: {first}")
            return _say("BREAKS")
        return _say("COMPILES")
    if mode == "default":
        from torch._dynamo.utils import counters

        counters.clear()
        torch.compile(fn, backend="eager")(*args, **kwargs)
        # a break inside a loop makes Dynamo skip the whole frame: counted as "unimplemented"
        breaks = {**counters["graph_break"], **counters["unimplemented"]}
        for reason, count in breaks.items():
            print(f"break ({count}x):", str(reason).strip().splitlines()[0])
        return _say("BREAKS" if breaks else "COMPILES")
    raise ValueError(mode)


def recompiles(fn, calls) -> str:
    torch._dynamo.reset()
    counter = {"n": 0}

    def backend(gm, example_inputs):
        counter["n"] += 1
        return gm.forward

    compiled = torch.compile(fn, backend=backend)
    for args in calls:
        compiled(*args)
    print("graphs compiled:", counter["n"])
    return _say("BREAKS" if counter["n"] > 1 else "COMPILES")


def claim(holds: bool, why: str = "") -> str:
    if why:
        print(why)
    return _say("HOLDS" if holds else "FAILS")


def _say(word: str) -> str:
    print(word)
    sys.stdout.flush()
    return word
