"""The bare reference for ``measure.py``: each recorded call of a project, run again by plain
torch in this process, without compile-audit's runner.

    python bench/record/bare.py RECORDINGS_FOLDER OUT.json

For each recording with a snapshot (first calls), the same function is compiled the way a user
compiles it (a module's ``forward`` as the module) with ``backend="eager"``, twice on fresh
Dynamo state: default mode, with Dynamo's ``graph_breaks`` log captured (every graph break
and the user frames of its traceback), and ``torch.compile(fn, fullgraph=True)`` (the first break raises; its innermost user frame in
the project, from the error's ``real_stack`` or its "from user code" text). Writes the lines where Dynamo broke, per recording."""

import contextlib
import importlib
import logging
import json
import re
import sys
import traceback
from pathlib import Path

import torch


def _call(entry: dict, folder: Path):
    snapshot = torch.load(folder / entry["snapshot"], weights_only=False)
    args, kwargs = tuple(snapshot["args"]), dict(snapshot["kwargs"])
    if entry["class"]:
        owner, args = args[0], args[1:]
        fn = owner if entry["name"] == "forward" and isinstance(owner, torch.nn.Module) else getattr(owner, entry["name"])
    else:
        fn = getattr(importlib.import_module(entry["module"]), entry["name"])
    return fn, args, kwargs


@contextlib.contextmanager
def _graph_breaks():
    """The messages of Dynamo's ``graph_breaks`` artifact log while the block runs."""
    messages: list = []

    class Keep(logging.Handler):
        def emit(self, record):
            messages.append(record.getMessage())

    import torch._dynamo.symbolic_convert  # noqa: F401 - creates its artifact logger

    # the artifact loggers (``<module>.__graph_breaks``) do not propagate: each gets the handler
    loggers = [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)
               if name.endswith(".__graph_breaks")]
    handler = Keep()
    torch._logging.set_logs(graph_breaks=True)
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield messages
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
        torch._logging.set_logs()


def _in_project(frames, root: str) -> list:
    return [f"{Path(f.filename).resolve()}:{f.lineno}" for f in frames if str(Path(f.filename).resolve()).startswith(root)]


def main(folder: str, out: str) -> int:
    folder_path = Path(folder)
    root = str(Path.cwd().resolve())
    sys.path.insert(0, root)
    entries = [json.loads(line) for line in (folder_path / "index.jsonl").read_text().splitlines() if line.strip()]
    results = []
    for entry in entries:
        if "snapshot" not in entry or entry["call"] != 1:
            continue
        result = {"key": f"{entry['key']}#{entry.get('variant', 0)}", "file": entry["file"], "breaks": [], "fullgraph": None}
        for folder in entry.get("paths", []):  # where the recorded program found its modules
            if folder not in sys.path:
                sys.path.insert(1, folder)
        try:
            torch._dynamo.reset()
            fn, args, kwargs = _call(entry, folder_path)
            with _graph_breaks() as messages:
                torch.compile(fn, backend="eager")(*args, **kwargs)
            for message in messages:
                stack = [traceback.FrameSummary(m.group(1), int(m.group(2)), "")
                         for m in re.finditer(r'File "([^"]+)", line (\d+)', message)]
                head = re.search(r"Graph break in user code at (\S+):(\d+)", message)
                if head:
                    stack.append(traceback.FrameSummary(head.group(1), int(head.group(2)), ""))
                result["breaks"].extend(_in_project(stack, root))
            torch._dynamo.reset()
            fn, args, kwargs = _call(entry, folder_path)
            try:
                torch.compile(fn, backend="eager", fullgraph=True)(*args, **kwargs)
                result["fullgraph"] = "compiled"
            except Exception as exc:  # noqa: BLE001 - the break is the measurement
                stack = getattr(exc, "real_stack", None) or [
                    traceback.FrameSummary(m.group(1), int(m.group(2)), "")
                    for m in re.finditer(r'File "([^"]+)", line (\d+)', str(exc))]
                frames = _in_project(stack, root)
                result["fullgraph"] = {"error": type(exc).__name__, "line": frames[-1] if frames else None}
        except Exception as exc:  # noqa: BLE001
            result["error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
        results.append(result)
    Path(out).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
