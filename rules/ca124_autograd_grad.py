from compile_audit.lint.rule import CallRule, Invalid, Valid


class AutogradGrad(CallRule):
    code = "CA124"
    name = "autograd-grad"
    severity = "error"
    CALLS = frozenset({"torch.autograd.grad", "torch.autograd.backward"})
    message = (
        "`{name}()` inside compiled code: Dynamo does not trace autograd calls by default and breaks the "
        "graph (GB9186); set `torch._dynamo.config.trace_autograd_ops = True` or move it out"
    )
    what = "Flags `torch.autograd.grad(...)` and `torch.autograd.backward(...)` inside compiled code."
    why = (
        "Computing gradients inside a compiled region needs the autograd engine; with the default "
        "`trace_autograd_ops=False` Dynamo breaks the graph there (GB9186). Higher-order code "
        "(gradient penalties, meta-learning) should compile the pieces around the call, or use "
        "`torch.func.grad`, which traces."
    )
    fix_safety = "No automatic fix."
    gb_codes = ("GB9186",)
    verdict = "torch 2.13: breaks in every mode (GB9186) unless `trace_autograd_ops=True`."
    VALID = [
        Valid(
            """
            import torch
            from torch.func import grad

            def energy(x):
                return (x ** 2).sum()

            @torch.compile
            def force(x):
                return -grad(energy)(x)
            """,
            target="force, (torch.randn(3),)",
        ),
        Valid(
            """
            import torch

            @torch.compile
            def energy(x):
                return (x ** 2).sum()

            def force(x):
                x = x.detach().requires_grad_()
                (g,) = torch.autograd.grad(energy(x), x)
                return -g
            """,
            target="energy, (torch.randn(3),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            @torch.compile
            def force(x):
                e = (x ** 2).sum()
                (g,) = torch.autograd.grad(e, x)
                return -g
            """,
            line=6,
            target="force, (torch.randn(3, requires_grad=True),)",
        ),
        Invalid(
            """
            import torch
            from torch.autograd import grad

            class Penalty(torch.nn.Module):
                def forward(self, x):
                    y = (x ** 3).sum()
                    (g,) = grad(y, x, create_graph=True)
                    return g.norm()
            """,
            line=7,
            target="Penalty(), (torch.randn(3, requires_grad=True),)",
        ),
    ]
