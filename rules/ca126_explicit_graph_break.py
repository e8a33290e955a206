import libcst as cst

from compile_audit.lint.edits import remove_statement
from compile_audit.lint.rule import CallRule, Invalid, Valid


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
    fix = "unsafe"
    fix_safety = "Unsafe fix: the statement is removed (the break may have been there on purpose, to work around a bug)."
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
            fixed="""
            import torch

            @torch.compile
            def step(x):
                x = x + 1
                return x * 2
            """,
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

    def visit_Call(self, node: cst.Call) -> None:
        qualified = self.qualified_name(node.func)
        if qualified is not None and self.matches(qualified, node):
            statement = self.context.enclosing(cst.SimpleStatementLine)
            whole = statement is not None and isinstance(statement.body[0], cst.Expr) and statement.body[0].value is node
            self.report(node, name=self.source(node.func), qualified=qualified,
                        fix=remove_statement(self.context) if whole else None)
