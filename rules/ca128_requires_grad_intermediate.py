import libcst as cst

from compile_audit.lint.rule import Invalid, TensorMethodRule, Valid


class RequiresGradIntermediate(TensorMethodRule):
    code = "CA128"
    name = "requires-grad-intermediate"
    severity = "error"
    METHODS = frozenset({"requires_grad_"})
    TENSOR_RECEIVER = True
    message = (
        "`.requires_grad_()` on a tensor created inside compiled code: Dynamo cannot return such a leaf "
        "from the graph (GB7324 under fullgraph, GB8985 by default)"
    )
    what = "Flags `.requires_grad_()` on tensor values inside compiled code."
    why = (
        "Turning an intermediate into a new autograd leaf inside the graph conflicts with how "
        "AOTAutograd builds the backward: Dynamo refuses to return it (GB7324, 'returning "
        "intermediate with requires_grad_()') or breaks the graph (GB8985). Create leaves before "
        "the compiled call."
    )
    fix_safety = "No automatic fix."
    gb_codes = ("GB7324", "GB8985")
    verdict = "torch 2.13: fails under fullgraph (GB7324), breaks by default (GB8985)."
    VALID = [
        Valid(
            """
            import torch

            @torch.compile
            def scaled(x):
                return (x * 2).sum()

            def make_leaf(x):
                return x.detach().requires_grad_()
            """,
            target="scaled, (torch.randn(3),)",
        ),
        Valid(
            """
            import torch

            class Net(torch.nn.Module):
                def forward(self, x):
                    return x.detach() * 2
            """,
            target="Net(), (torch.randn(3),)",
        ),
        Valid(
            """
            import torch

            class Sampler(torch.nn.Module):
                def forward(self, mean):
                    noise = torch.randn_like(mean)
                    noise.requires_grad_(False)  # turning gradients off: nothing to trace
                    return mean + noise
            """,
            target="Sampler(), (torch.randn(3),)",
        ),
        Valid(
            """
            import torch


            def detached_noise(mean, trainable=False):
                noise = torch.randn_like(mean)
                noise.requires_grad_(trainable)  # `trainable` is False at every compiled call
                return noise


            class Sampler(torch.nn.Module):
                def forward(self, mean):
                    return mean + detached_noise(mean)
            """,
            target="Sampler(), (torch.randn(3),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            @torch.compile
            def leaf(x):
                w = (x * 2).requires_grad_(True)
                return w
            """,
            line=5,
            target="leaf, (torch.randn(3),)",
        ),
        Invalid(
            """
            import torch

            class Net(torch.nn.Module):
                def forward(self, x):
                    y = x.detach().requires_grad_()
                    return y * 2
            """,
            line=5,
            target="Net(), (torch.randn(3),)",
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        args = node.args
        if len(args) == 1 and (args[0].keyword is None or args[0].keyword.value == "requires_grad") and (
                (isinstance(args[0].value, cst.Name) and args[0].value.value == "False")
                or self.context.value(args[0].value).literal == "False"):
            # requires_grad_(False) makes no leaf: Dynamo traces it; also a flag that holds
            # False wherever compiled code reaches it (a parameter every caller leaves at its default)
            return
        super().visit_Call(node)
