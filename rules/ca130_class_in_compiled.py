import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid


class ClassInCompiled(Rule):
    code = "CA130"
    name = "class-in-compiled"
    severity = "error"
    message = (
        "`class {name}` defined in compiled code: Dynamo cannot trace `__build_class__` and breaks "
        "the graph (GB8977); define the class at module level"
    )
    what = (
        "Flags a `class` statement in the body of compiled code (a record type, a `NamedTuple` or a "
        "`@dataclass` declared next to its use in `forward`)."
    )
    why = (
        "A `class` statement runs `__build_class__` every time the function runs, creating a new "
        "type object. Dynamo does not trace it (GB8977): under `fullgraph=True` compilation fails, "
        "and by default the function is split (or not compiled at all) at the statement."
    )
    fix_safety = (
        "No automatic fix: move the class to module level (a closure over local variables becomes "
        "constructor arguments), or return a dict or tuple instead."
    )
    gb_codes = ("GB8977",)
    verdict = "torch 2.13 and 2.14.1: breaks in every mode (GB8977), also for decorated classes and `NamedTuple`s; `type(name, bases, ns)` compiles."
    VALID = [
        Valid(
            """
            import torch
            from torch import nn


            class Output:
                def __init__(self, logits):
                    self.logits = logits


            class Head(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.fc = nn.Linear(8, 2)

                def forward(self, x):
                    return Output(self.fc(x)).logits
            """,
            target="Head(), (torch.randn(2, 8),)",
        ),
        Valid(
            """
            import torch
            from torch import nn


            def make_block(dim: int):
                class ScaledBlock(nn.Module):
                    def __init__(self):
                        super().__init__()
                        self.fc = nn.Linear(dim, dim)

                    def forward(self, x):
                        return x + self.fc(x)

                return ScaledBlock()


            block = make_block(4)
            """,
            target="block, (torch.randn(2, 4),)",
        ),
        Valid(
            """
            import torch


            @torch.compile
            def step(x):
                Box = type("Box", (), {"scale": 2})  # a class made by a call: Dynamo traces it
                return x * Box.scale
            """,
            target="step, (torch.ones(2),)",
        ),
        Valid(
            """
            import torch


            @torch.compile
            def step(x):
                if not torch.compiler.is_compiling():
                    class Trace:
                        calls = 0
                return x + 1
            """,
            target="step, (torch.ones(2),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch
            from torch import nn


            class Head(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.fc = nn.Linear(8, 2)

                def forward(self, x):
                    class Output:
                        def __init__(self, logits):
                            self.logits = logits

                    return Output(self.fc(x)).logits
            """,
            line=11,
            target="Head(), (torch.randn(2, 8),)",
        ),
        Invalid(
            """
            import dataclasses

            import torch


            @torch.compile
            def step(x):
                @dataclasses.dataclass
                class Result:
                    value: torch.Tensor

                return Result(x * 2).value
            """,
            line=9,
            target="step, (torch.ones(2),)",
        ),
        Invalid(
            """
            from typing import NamedTuple

            import torch


            def pack(x):
                class Pair(NamedTuple):
                    first: torch.Tensor
                    second: torch.Tensor

                return Pair(x, x + 1)


            @torch.compile
            def step(x):
                pair = pack(x)
                return pair.first * pair.second
            """,
            line=7,
            target="step, (torch.ones(2),)",
        ),
    ]

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        # only the outermost class statement runs in the traced frame: a class nested in it is
        # built by the outer class body, which Dynamo never gets to
        for ancestor in reversed(self.context.ancestors[:-1]):
            if isinstance(ancestor, cst.FunctionDef):
                break
            if isinstance(ancestor, cst.ClassDef):
                return
        self.report(node, name=node.name.value)
