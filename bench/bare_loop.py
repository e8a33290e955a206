"""The floor for the dynamic layer: one process, torch imported once, every audit target of
the given folders compiled with ``torch.compile(fn, fullgraph=True, backend=...)`` and called
once, with ``torch._dynamo.reset()`` between targets. No isolation, no survey, no coverage."""

import sys
from pathlib import Path

import torch

from compile_audit.dynamic.probe import unwrap
from compile_audit.dynamic.targets import collect
from compile_audit.dynamic.worker import load_audit_module
from compile_audit.target import Target


def main(paths: list[str], backend: str) -> None:
    cwd = Path.cwd()
    outcomes = {"compiled": 0, "raised": 0}
    modules: dict = {}
    for ref in collect([Path(p) for p in paths], cwd, cwd):
        module = load_audit_module(str(ref.file), modules)  # the runner's own loader
        target = Target.coerce(getattr(module, ref.function)())
        torch._dynamo.reset()
        try:
            with torch.no_grad() if target.no_grad else torch.enable_grad():
                torch.compile(unwrap(target.fn), fullgraph=True, backend=backend)(*target.args, **target.kwargs)
            outcomes["compiled"] += 1
        except Exception:  # noqa: BLE001 - a break or a failing target: the loop goes on
            outcomes["raised"] += 1
    print(outcomes)


if __name__ == "__main__":
    main(sys.argv[2:], sys.argv[1])
