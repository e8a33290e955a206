import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid


class CallToDisabled(Rule):
    code = "CA127"
    name = "call-to-disabled"
    severity = "warning"
    message = "`{name}()` is {how} `torch.compiler.disable`: calling it from compiled code breaks the graph (GB0098)"
    what = (
        "Flags calls, from compiled code, to functions and methods of the same file decorated with "
        "`@torch.compiler.disable` or `@torch._dynamo.disable` (with or without arguments), and to names "
        "and `self` attributes bound to `torch.compiler.disable(fn)`."
    )
    why = (
        "A disabled function always runs eagerly: Dynamo ends the graph before the call and "
        "resumes after it (GB0098), and `fullgraph=True` raises. That is sometimes the point (a "
        "data-dependent helper kept out of the graph), but each call site costs a break; make "
        "sure it is not on a hot path, and suppress the finding where it is intended."
    )
    fix_safety = "No automatic fix."
    gb_codes = ("GB0098", "GB0099")
    verdict = "Breaks in both modes at the call (GB0098; a disabled method called on `self` may report GB0099)."
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

    INVALID += [
        Invalid(
            """
            import torch

            def greedy_nms(scores):
                return scores.argsort(descending=True)[:2]

            nms = torch.compiler.disable(greedy_nms)

            @torch.compile
            def select(scores):
                keep = nms(scores)
                return scores[keep]
            """,
            line=10,
            target="select, (torch.randn(5),)",
        ),
        Invalid(
            """
            import torch

            class Tracker(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.register_buffer("ema", torch.zeros(3))
                    self.update = torch._dynamo.disable(self.update)

                def update(self, x):
                    self.ema.mul_(0.9).add_(x, alpha=0.1)

                def forward(self, x):
                    self.update(x)
                    return x * 2
            """,
            line=13,
            target="Tracker(), (torch.ones(3),)",
        ),
        Invalid(
            """
            import torch

            class Head(torch.nn.Module):
                @torch.compiler.disable(recursive=False)
                def log_stats(self, x):
                    return x.mean()

                def forward(self, x):
                    self.log_stats(x)
                    return x + 1
            """,
            line=9,
            target="Head(), (torch.ones(3),)",
        ),
    ]
    VALID += [
        Valid(
            """
            import torch

            def greedy_nms(scores):
                return scores.argsort(descending=True)[:2]

            nms = torch.compiler.disable(greedy_nms)

            @torch.compile
            def score(x):
                return x.softmax(-1)

            def postprocess(x):
                scores = score(x)
                return scores[nms(scores)]
            """,
            target="score, (torch.randn(5),)",
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func, scope, current = node.func, self.context.scope, self.context.current_function
        if isinstance(func, cst.Name):
            if scope.disabled_name(func.value, current):
                callee = scope.lookup_function(func.value, current)
                self.report(node, name=func.value, how="decorated with" if callee is not None else "wrapped in")
        elif isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self":
            method = current
            while method is not None and method.parent is not None:
                method = method.parent
            if method is not None and scope.disabled_method(method.cls, func.attr.value):
                self.report(node, name=f"self.{func.attr.value}", how="made eager by")
