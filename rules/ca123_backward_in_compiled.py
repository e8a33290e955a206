import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid


class BackwardInCompiled(Rule):
    code = "CA123"
    name = "backward-in-compiled"
    severity = "error"
    message = (
        "`.backward()` inside compiled code: Dynamo cannot trace the autograd engine and breaks the graph "
        "(GB0123); compile the forward (and loss) only, or use compiled autograd"
    )
    what = "Flags `.backward()` calls inside compiled code (a compiled training step that calls `loss.backward()`)."
    why = (
        "`Tensor.backward()` runs the autograd engine, which Dynamo does not trace (GB0123): the "
        "graph ends before it and the backward runs eagerly. `torch.compile` already compiles the "
        "backward of the forward it captures (AOTAutograd), so compile the model or the loss "
        "function, and call `.backward()` outside; `torch._dynamo.config.compiled_autograd` covers "
        "the rest."
    )
    fix_safety = "No automatic fix: split the training step."
    gb_codes = ("GB0123",)
    verdict = "torch 2.13: breaks in every mode (GB0123)."
    VALID = [
        Valid(
            """
            import torch

            @torch.compile
            def loss_fn(w, x):
                return ((x @ w) ** 2).mean()
            """,
            target="loss_fn, (torch.randn(3, 1, requires_grad=True), torch.randn(4, 3))",
        ),
        Valid(
            """
            import torch

            class Model(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.proj = torch.nn.Linear(3, 1)

                def forward(self, x):
                    return self.proj(x).mean()

            def train_step(model, x):
                loss = model(x)
                loss.backward()
                return loss
            """,
            target="Model(), (torch.randn(4, 3),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            @torch.compile
            def train_step(w, x):
                loss = ((x @ w) ** 2).mean()
                loss.backward()
                return loss
            """,
            line=6,
            target="train_step, (torch.randn(3, 1, requires_grad=True), torch.randn(4, 3))",
        ),
        Invalid(
            """
            import torch

            class SelfTraining(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.proj = torch.nn.Linear(3, 1)

                def forward(self, x):
                    loss = self.proj(x).pow(2).mean()
                    loss.backward()
                    return loss.detach()
            """,
            line=10,
            target="SelfTraining(), (torch.randn(4, 3),)",
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "backward" and self.tensor(func.value):
            self.report(node)
