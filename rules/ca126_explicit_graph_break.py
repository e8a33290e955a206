from compile_audit.rule import CallRule, Invalid, Valid


class ExplicitGraphBreak(CallRule):
    code = "CA126"
    name = "explicit-graph-break"
    severity = "warning"
    CALLS = frozenset({"torch._dynamo.graph_break", "torch.compiler.graph_break"})
    message = "`{name}()` asks Dynamo to break the graph here (GB0025): intended, but it fails `fullgraph=True`"
    what = "Flags explicit `torch._dynamo.graph_break()` calls inside compiled code."
    why = (
        "An explicit break splits the graph on purpose (debugging, working around a bug). It "
        "remains a break: `fullgraph=True` raises on it (GB0025) and the two halves are optimised "
        "separately. Keep it only with a comment saying why, and suppress this finding there."
    )
    fix_safety = "No automatic fix: remove the call once the reason for it is gone."
    gb_codes = ("GB0025",)
    verdict = "torch 2.13: breaks in every mode (GB0025)."
    VALID = [
        Valid(
            """
            import torch

            @torch.compile
            def step(x):
                x = x + 1
                return x * 2
            """,
            target="step, (torch.ones(3),)",
        ),
        Valid(
            """
            import torch

            class Net(torch.nn.Module):
                def forward(self, x):
                    if torch.compiler.is_compiling():
                        return x * 2
                    return x + x
            """,
            target="Net(), (torch.ones(3),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            @torch.compile
            def step(x):
                x = x + 1
                torch._dynamo.graph_break()
                return x * 2
            """,
            line=6,
            target="step, (torch.ones(3),)",
        ),
        Invalid(
            """
            import torch
            import torch._dynamo as dynamo

            class Net(torch.nn.Module):
                def forward(self, x):
                    h = x.relu()
                    dynamo.graph_break()
                    return h.sum()
            """,
            line=7,
            target="Net(), (torch.ones(3),)",
        ),
    ]
