import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid


class RequiresGradAssignment(Rule):
    code = "CA145"
    name = "requires-grad-assignment"
    severity = "error"
    message = (
        "`{target} = ...` in compiled code: Dynamo does not trace a store to a tensor's "
        "`requires_grad` attribute and breaks the graph (GB0206, 'setattr() on Tensor.requires_grad')"
    )
    what = (
        "Flags assigning a tensor's `requires_grad` attribute (`hidden_states.requires_grad = True`, "
        "also `= False`, and `setattr(t, \"requires_grad\", v)`) inside compiled code."
    )
    why = (
        "Setting `requires_grad` changes the autograd state of a tensor as a side effect: Dynamo "
        "refuses the attribute store (GB0206) whatever the value, so `fullgraph=True` fails and plain "
        "`torch.compile` breaks the graph there. Speech encoders in transformers (wav2vec2, hubert, "
        "wavlm, ...) do it in their feature encoder when training "
        "(`if self._requires_grad and self.training: hidden_states.requires_grad = True`)."
    )
    fix_safety = (
        "No automatic fix: set `requires_grad` on the inputs before the compiled call, or guard the "
        "store with `if not torch.compiler.is_compiling():` when it only serves eager "
        "gradient checkpointing."
    )
    gb_codes = ("GB0206",)
    verdict = (
        "torch 2.13 and 2.14.1: `fullgraph=True` fails at the store (GB0206); default mode breaks the "
        "graph there, for `True` and `False` alike."
    )
    VALID = [
        Valid(
            """
            import torch

            class Encoder(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.proj = torch.nn.Linear(4, 4)

                def forward(self, x):
                    h = self.proj(x)
                    if not torch.compiler.is_compiling():
                        h.requires_grad = True  # eager gradient checkpointing only
                    return h * 2
            """,
            target="Encoder(), (torch.randn(2, 4),)",
        ),
        Valid(
            """
            import torch

            @torch.compile
            def step(x):
                return (x * 2).sum()

            def train(x):
                x = x.detach()
                x.requires_grad = True  # eager: before the compiled call
                return step(x)
            """,
            target="step, (torch.randn(3),)",
        ),
        Valid(
            """
            import torch

            class Config:
                requires_grad = False

            @torch.compile
            def scale(x, config):
                config.requires_grad = True  # a plain Python object
                return x * 2
            """,
            target="scale, (torch.randn(3), Config())",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            class FeatureEncoder(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.conv = torch.nn.Conv1d(1, 4, 3)

                def forward(self, input_values):
                    hidden_states = input_values[:, None]
                    hidden_states.requires_grad = True  # for gradient checkpointing
                    return self.conv(hidden_states).relu()
            """,
            line=10,
            target="FeatureEncoder(), (torch.randn(2, 16),)",
        ),
        Invalid(
            """
            import torch

            @torch.compile
            def frozen(x):
                y = x * 2
                setattr(y, "requires_grad", False)
                return y + 1
            """,
            line=6,
            target="frozen, (torch.randn(3),)",
        ),
    ]

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        target = node.target
        if isinstance(target, cst.Attribute) and target.attr.value == "requires_grad" and self.tensor(target.value):
            self.report(target, target=self.source(target))

    def visit_Call(self, node: cst.Call) -> None:
        if not (isinstance(node.func, cst.Name) and node.func.value == "setattr" and len(node.args) == 3):
            return
        obj, attribute = node.args[0].value, node.args[1].value
        if isinstance(attribute, cst.SimpleString) and attribute.evaluated_value == "requires_grad" \
                and self.tensor(obj):
            self.report(node, target=f"{self.source(obj)}.requires_grad")
