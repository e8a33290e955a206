from compile_audit.lint.rule import CallRule, Invalid, Valid


class JitInCompiled(CallRule):
    code = "CA125"
    name = "jit-in-compiled"
    severity = "error"
    CALLS = frozenset({"torch.jit.script", "torch.jit.trace", "torch.jit.trace_module", "torch.jit.freeze",
                       "torch.jit.load", "torch.jit.optimize_for_inference"})
    message = "`{name}()` inside compiled code: TorchScript compilation cannot be traced by Dynamo and breaks the graph"
    what = "Flags calls that script, trace, load or freeze TorchScript (`torch.jit.script(...)`, `torch.jit.trace(...)`) inside compiled code."
    why = (
        "TorchScript is a separate compiler; Dynamo skips it (GB0007) or refuses its "
        "`torch.compiler.disable`d entry points (GB0098). Calling an already scripted function "
        "compiles; creating one inside `forward` does not, and recreates it on every call."
    )
    fix_safety = "No automatic fix: script once at module construction, or drop TorchScript for torch.compile."
    gb_codes = ("GB0007", "GB0098")
    verdict = "torch 2.13: breaks in every mode; calling a pre-scripted function compiles."
    VALID = [
        Valid(
            """
            import torch

            @torch.jit.script
            def gelu_tanh(x: torch.Tensor) -> torch.Tensor:
                return x * torch.sigmoid(1.702 * x)

            @torch.compile
            def step(x):
                return gelu_tanh(x) + 1
            """,
            target="step, (torch.ones(3),)",
        ),
        Valid(
            """
            import torch

            class Net(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.proj = torch.nn.Linear(3, 3)

                def forward(self, x):
                    return self.proj(x)

            def export(model):
                return torch.jit.script(model)
            """,
            target="Net(), (torch.ones(3),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            def act(x):
                return x * torch.sigmoid(x)

            @torch.compile
            def step(x):
                fused = torch.jit.script(act)
                return fused(x)
            """,
            line=8,
            target="step, (torch.ones(3),)",
        ),
        Invalid(
            """
            import torch

            class Net(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.proj = torch.nn.Linear(3, 3)

                def forward(self, x):
                    traced = torch.jit.trace(self.proj, x)
                    return traced(x)
            """,
            line=9,
            target="Net(), (torch.ones(3),)",
        ),
    ]
