import libcst as cst

from compile_audit.rule import Invalid, Rule, Valid


class CallToDisabled(Rule):
    code = "CA127"
    name = "call-to-disabled"
    severity = "warning"
    message = "`{name}()` is decorated with `torch.compiler.disable`: calling it from compiled code breaks the graph (GB0098)"
    what = (
        "Flags calls, from compiled code, to functions of the same file decorated with "
        "`@torch.compiler.disable` or `@torch._dynamo.disable`."
    )
    why = (
        "A disabled function always runs eagerly: Dynamo ends the graph before the call and "
        "resumes after it (GB0098), and `fullgraph=True` raises. That is sometimes the point (a "
        "data-dependent helper kept out of the graph), but each call site costs a break; make "
        "sure it is not on a hot path, and suppress the finding where it is intended."
    )
    fix_safety = "No automatic fix."
    gb_codes = ("GB0098",)
    verdict = "torch 2.13: breaks in every mode (GB0098)."
    VALID = [
        Valid(
            """
            import torch

            @torch.compiler.disable
            def debug_dump(x):
                print(x)

            @torch.compile
            def step(x):
                return x * 2

            def run(x):
                y = step(x)
                debug_dump(y)
                return y
            """,
            target="step, (torch.ones(3),)",
        ),
        Valid(
            """
            import torch

            def helper(x):
                return x + 1

            class Net(torch.nn.Module):
                def forward(self, x):
                    return helper(x) * 2
            """,
            target="Net(), (torch.ones(3),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            @torch.compiler.disable
            def postprocess(x):
                return x + 1

            @torch.compile
            def step(x):
                return postprocess(x) * 2
            """,
            line=9,
            target="step, (torch.ones(3),)",
        ),
        Invalid(
            """
            import torch
            import torch._dynamo

            @torch._dynamo.disable
            def stats(x):
                return x.mean()

            class Net(torch.nn.Module):
                def forward(self, x):
                    s = stats(x)
                    return x - s
            """,
            line=10,
            target="Net(), (torch.ones(3),)",
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        if not isinstance(node.func, cst.Name):
            return
        callee = self.context.scope.lookup_function(node.func.value, self.context.current_function)
        if callee is not None and callee.disabled:
            self.report(node, name=node.func.value)
