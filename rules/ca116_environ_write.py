import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid

WRITERS = frozenset({"os.putenv", "os.unsetenv", "os.environ.update", "os.environ.pop", "os.environ.setdefault",
                     "os.environ.clear", "os.environ.__setitem__"})


class EnvironWrite(Rule):
    code = "CA116"
    name = "environ-write"
    severity = "error"
    message = "writing the process environment in compiled code: Dynamo cannot trace it and breaks the graph (GB0007)"
    what = (
        "Flags writes to the environment inside compiled code: `os.environ[k] = v`, `del "
        "os.environ[k]`, `os.environ.update/pop/setdefault/clear`, `os.putenv`, `os.unsetenv`. "
        "Reading it (`os.environ.get`, `os.getenv`) compiles and is not flagged."
    )
    why = (
        "Mutating `os.environ` calls into C (`putenv`), which Dynamo marks as skipped: the graph "
        "breaks (GB0007). Reads are fine: Dynamo reads the value at trace time and guards on it."
    )
    fix_safety = "No automatic fix: set the environment once, before compiling."
    gb_codes = ("GB0007",)
    verdict = "torch 2.13: writes break in every mode; reads compile (guarded)."
    VALID = [
        Valid(
            """
            import os

            import torch

            @torch.compile
            def step(x):
                if os.environ.get("DOUBLE") == "1":
                    return x * 2
                return x
            """,
            target="step, (torch.ones(2),)",
        ),
        Valid(
            """
            import os

            import torch

            class Net(torch.nn.Module):
                def forward(self, x):
                    scale = float(os.getenv("SCALE", "1.0"))
                    return x * scale
            """,
            target="Net(), (torch.ones(2),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import os

            import torch

            @torch.compile
            def step(x):
                os.environ["LAST_STEP"] = "1"
                return x * 2
            """,
            line=7,
            target="step, (torch.ones(2),)",
        ),
        Invalid(
            """
            import os

            import torch

            class Net(torch.nn.Module):
                def forward(self, x):
                    os.environ.update({"SEEN": "1"})
                    return x + 1
            """,
            line=7,
            target="Net(), (torch.ones(2),)",
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        if self.qualified_name(node.func) in WRITERS:
            self.report(node)

    def _environ_item(self, target: cst.BaseExpression) -> bool:
        return isinstance(target, cst.Subscript) and self.qualified_name(target.value) == "os.environ"

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if self._environ_item(target.target):
                self.report(target.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if self._environ_item(node.target):
            self.report(node.target)

    def visit_Del(self, node: cst.Del) -> None:
        if self._environ_item(node.target):
            self.report(node.target)
