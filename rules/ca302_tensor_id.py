import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid


class TensorId(Rule):
    code = "CA302"
    name = "tensor-id"
    severity = "warning"
    proof = "recompile"
    message = (
        "`id()` of a tensor in compiled code: the value is baked into the graph and guarded, so every new "
        "tensor object recompiles (and the cached result is wrong for it)"
    )
    what = "Flags `id(t)` of a tensor value inside compiled code."
    why = (
        "Dynamo evaluates `id(x)` at trace time and specialises the graph on that object: a call "
        "with a different tensor object (every real call) fails the identity guard and "
        "recompiles, up to the recompile limit. Identity-keyed caches belong outside compiled code."
    )
    fix_safety = "No automatic fix."
    gb_codes = ()
    verdict = "torch 2.13: no graph break, a recompilation for every new tensor object."
    VALID = [
        Valid(
            """
            import torch

            @torch.compile
            def step(x):
                return x * 2 + x.dim()
            """,
            target="Target(step, args=(torch.ones(3),), recompile_args=(torch.ones(3),))",
        ),
        Valid(
            """
            import torch

            class Net(torch.nn.Module):
                def forward(self, x):
                    return x + (id(self) % 1)
            """,
            target="Target(Net(), args=(torch.ones(3),), recompile_args=(torch.ones(3),))",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            @torch.compile
            def step(x):
                key = id(x) % 3
                return x * key
            """,
            line=5,
            target="Target(step, args=(torch.ones(3),), recompile_args=(torch.ones(3),))",
        ),
        Invalid(
            """
            import torch

            _SEEN = {}

            class Cache(torch.nn.Module):
                def forward(self, x):
                    _SEEN[id(x)] = True
                    return x + 1
            """,
            line=7,
            target="Target(Cache(), args=(torch.ones(3),), recompile_args=(torch.ones(3),))",
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        if self.qualified_name(node.func) == "builtins.id" and node.args and self.tensor(node.args[0].value):
            self.report(node)
