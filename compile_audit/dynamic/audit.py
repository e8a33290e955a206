"""``scan --confirm`` and ``verify``: collect the audit targets and run them in workers (the
pipeline reconciles the results with the findings)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from typing import Optional, Sequence

from compile_audit.dynamic import DynamicUnavailable, pool, targets


def check_cuda() -> None:
    """``--device cuda`` on a machine where torch sees no GPU: one error before any target runs."""
    import subprocess

    probe = ("import sys, torch; print(torch.__version__); "
             "sys.exit(0 if torch.cuda.is_available() and torch.cuda.device_count() > 0 else 3)")
    try:
        proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.SubprocessError) as exc:
        raise DynamicUnavailable(f"--device cuda: cannot ask torch for a GPU: {exc}") from None
    if proc.returncode == 3:
        version = proc.stdout.strip() or "?"
        raise DynamicUnavailable(f"--device cuda: torch {version} sees no CUDA device here "
                                 "(torch.cuda.is_available() is False); run with --device cpu")
    if proc.returncode != 0:
        raise DynamicUnavailable(f"--device cuda: importing torch failed: {proc.stderr.strip()[-500:]}")


def _progress(enabled: bool):
    if not enabled:
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("compiling audit targets"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.description}"), transient=True,
    )


def check_available(settings) -> None:
    """Before anything runs: torch is installed, and a GPU is there when ``--device cuda``."""
    if importlib.util.find_spec("torch") is None:
        raise DynamicUnavailable(
            "the dynamic layer needs torch: pip install 'compile-audit[dynamic]'"
        )
    if settings.device == "cuda":
        check_cuda()


def collect(target_paths: Sequence[Path], settings, cwd: Path) -> list[targets.TargetRef]:
    return targets.collect(target_paths, settings.root, cwd, [*settings.exclude, *settings.extend_exclude])


def shard(refs: Sequence[targets.TargetRef], index: int, count: int) -> list[targets.TargetRef]:
    """The targets of shard ``index`` (1-based) of ``count``: every ``count``-th target in the order
    of their names, so each target runs in exactly one shard, on any machine, in any order of
    collection; ``compile-audit merge`` puts the shards' reports together again."""
    order = sorted(range(len(refs)), key=lambda i: (refs[i].display, i))
    keep = {i for position, i in enumerate(order) if position % count == index - 1}
    return [ref for i, ref in enumerate(refs) if i in keep]


def run(
    refs: Sequence[targets.TargetRef],
    settings,
    cwd: Path,
    *,
    roots: Sequence[str],
    watch: Optional[dict[str, list[int]]] = None,
    progress: Optional[bool] = None,
    started: Optional[list] = None,
) -> tuple[list[pool.TargetResult], Optional[str]]:
    """Run the targets in isolated workers (``settings``: backend, device, timeout, jobs,
    memory limit); returns one result per target, in order, and the workers' torch version."""
    jobs = settings.jobs or os.cpu_count() or 1
    show = sys.stderr.isatty() if progress is None else progress
    bar = _progress(show and bool(refs))
    task = None
    workers = min(jobs, len(refs))
    starting = f"starting {workers} worker{'s' if workers != 1 else ''} (each imports torch)"
    if refs and bar is None and progress is None:
        print(f"compile-audit: {len(refs)} audit target{'s' if len(refs) != 1 else ''}: {starting}...",
              file=sys.stderr, flush=True)

    def on_done(done: pool.TargetResult) -> None:
        if bar is not None:
            bar.update(task, advance=1, description=done.ref.function)

    if bar is not None:
        bar.start()
        task = bar.add_task(starting, total=len(refs))
    try:
        return pool.run_targets(
            refs, roots=roots, cwd=cwd, backend=settings.backend, device=settings.device,
            timeout=settings.timeout, jobs=jobs, memory_limit=settings.memory_limit, on_done=on_done, watch=watch,
            started=started,
        )
    finally:
        if bar is not None:
            bar.stop()
