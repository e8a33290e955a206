"""Work over files in worker processes: the static scan's index pass and its lint share this.

Files go to the workers largest first, one (or a few) at a time, so that no worker is left with a
big file when the others are done (a file's cost grows with its size); the results come back in
the order of the tasks, so the output is the one a single process gives. Workers are forked where
the platform can (they start with what the parent imported: libcst, the engine, the rules)."""

from __future__ import annotations

import os
from typing import Callable, Sequence


def largest_first(paths: Sequence[str]) -> list[int]:
    """The indices of ``paths``, largest file first."""
    def size(i: int) -> int:
        try:
            return os.stat(paths[i]).st_size
        except OSError:
            return 0
    return sorted(range(len(paths)), key=lambda i: -size(i))


def map_files(fn: Callable, paths: Sequence[str], *columns: Sequence, jobs: int, initializer=None,
              initargs: tuple = ()) -> list:
    """``[fn(*row) for row in zip(*columns)]`` in ``jobs`` worker processes, the row of the
    largest of ``paths`` (one per row) first; results in row order."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    jobs = max(1, min(jobs, len(paths)))
    order = largest_first(paths)
    chunk = max(1, min(16, len(paths) // (jobs * 32) or 1))
    results: list = [None] * len(paths)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=initializer,
                             initargs=initargs) as pool:
        done = pool.map(fn, *([column[i] for i in order] for column in columns), chunksize=chunk)
        for i, output in zip(order, done):
            results[i] = output
    return results
