#!/usr/bin/env python3
"""The dynamic layer's speed, as ratios measured side by side in one run.

Compares, over the audit targets of ``fixtures/`` (alternating the commands in each
repetition, started the same way from this script):

* ``bare``: ``bench/bare_loop.py``, one process compiling each target once with
  ``fullgraph=True`` (the floor: no isolation, no survey pass, no coverage);
* ``runner -j1`` / ``runner -j2``: ``compile-audit verify fixtures/ --jobs N``;
* ``eager`` vs ``inductor`` backends of the bare loop (``--inductor``: slow, off by default).

Prints a Markdown table; ``--write`` replaces the dynamic section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{argv} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--paths", nargs="+", default=["fixtures"])
    parser.add_argument("--inductor", action="store_true", help="also time the bare loop with inductor")
    parser.add_argument("--write", action="store_true", help="write docs/benchmarks.md's dynamic section")
    args = parser.parse_args()

    commands = {
        "bare loop (eager)": [PY, "bench/bare_loop.py", "eager", *args.paths],
        "runner --jobs 1": [PY, "-m", "compile_audit", "verify", *args.paths, "--jobs", "1", "--output-format", "json"],
        "runner --jobs 2": [PY, "-m", "compile_audit", "verify", *args.paths, "--jobs", "2", "--output-format", "json"],
    }
    if args.inductor:
        commands["bare loop (inductor)"] = [PY, "bench/bare_loop.py", "inductor", *args.paths]
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.repeat):
        for name, argv in commands.items():  # alternate within each repetition
            times[name].append(timed(argv))
    floor = statistics.median(times["bare loop (eager)"])
    import torch  # noqa: F401 - only for the version line

    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"torch {torch.__version__}; {args.repeat} repetitions, commands alternated; targets under "
        f"{', '.join(args.paths)}.",
        "",
        "| command | median s | min-max s | ratio to bare loop |",
        "|---|---|---|---|",
    ]
    for name, values in times.items():
        median = statistics.median(values)
        lines.append(f"| {name} | {median:.2f} | {min(values):.2f}-{max(values):.2f} | {median / floor:.2f}x |")
    table = "\n".join(lines)
    print(table)
    if args.write:
        path = ROOT / "docs" / "benchmarks.md"
        text = path.read_text() if path.exists() else "# Benchmarks\n"
        start, end = "<!-- dynamic:start -->", "<!-- dynamic:end -->"
        block = f"{start}\n{table}\n{end}"
        if start in text:
            text = text[: text.index(start)] + block + text[text.index(end) + len(end):]
        else:
            text += f"\n## Dynamic layer: runner against the bare torch.compile loop\n\n{block}\n"
        path.write_text(text)


if __name__ == "__main__":
    main()
