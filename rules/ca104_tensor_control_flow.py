import libcst as cst

from compile_audit.lint.edits import Edit
from compile_audit.lint.rule import Invalid, Rule, Valid


class TensorControlFlow(Rule):
    code = "CA104"
    name = "tensor-control-flow"
    severity = "error"
    message = (
        "`{keyword}` on a tensor value: Python needs a bool, so Dynamo breaks the graph here "
        "(GB0170, data-dependent branching); use `torch.where`, `torch.cond`, or branch on shapes"
    )
    what = (
        "Flags `if`, `elif`, `while` and conditional expressions (`a if c else b`) whose "
        "condition is a tensor value (comparisons of tensors, tensor results, `and`/`or`/`not` "
        "of them) inside compiled code. Conditions on shapes, `dim()`, `dtype`, `device`, "
        "`self.training` or `x is None` are not tensor values and are not flagged."
    )
    why = (
        "Dynamo records tensor operations without running them on real data, so it cannot "
        "know which way a condition on a tensor's *values* goes. It ends the graph, evaluates "
        "the condition eagerly (a device sync on GPU) and resumes in a new frame after the "
        "branch; under `fullgraph=True` it raises instead."
    )
    fix = "unsafe"
    fix_safety = (
        "Unsafe fix, for `if cond: x = a` / `else: x = b` with one assignment to the same name in "
        "each branch: `x = torch.where(cond, a, b)`. Both sides are then computed (a side with side "
        "effects, or one that fails on the other branch's data, changes behaviour) and the result "
        "broadcasts, hence unsafe. Other shapes of `if` are not fixed."
    )
    gb_codes = ("GB0170",)
    verdict = "torch 2.13: breaks in every mode (GB0170)."
    VALID = [
        Valid(
            """
            from typing import Optional

            import torch

            class Embedder(torch.nn.Module):
                def forward(self, x, guidance: Optional[torch.Tensor] = None):
                    if guidance:  # a None check: the pipeline never passes it
                        x = x + guidance.to(x.dtype)
                    return x * 2
            """,
            target="Embedder(), (torch.ones(3),)",
        ),
        Valid(
            """
            import torch

            def default(value, fallback):
                return value if value is not None else fallback

            class Attend(torch.nn.Module):
                def __init__(self, causal=False):
                    super().__init__()
                    self.causal = causal

                def forward(self, x, causal=None, mems=None):
                    causal = default(causal, self.causal)  # rebound: a Python bool now
                    n = x.shape[-2]
                    if n == 1 and causal:
                        x = x * 2
                    mem = mems.pop(0) if mems else None  # a list of tensors, tested for emptiness
                    if mem is not None:
                        x = x + mem
                    return x
            """,
            target='Attend(), (torch.randn(2, 4, 8), None, [torch.ones(2, 4, 8)])',
        ),
        Valid(
            """
            import torch

            class Loss(torch.nn.Module):
                def forward(self, losses: dict[str, torch.Tensor], weight: float = 1.0, n: int = 2):
                    total = 0.0
                    for name in losses:  # the keys: strings
                        if name.startswith("aux") and weight > 0.0 and n > 1:
                            total = total + losses[name] * weight
                    return total
            """,
            target='Loss(), ({"aux_a": torch.ones(()), "main": torch.ones(())},)',
        ),
        Valid(
            """
            import torch

            class Decoder(torch.nn.Module):
                def forward(self, x, feat_cache=None, idx=0):
                    if feat_cache is not None and feat_cache[idx] == "Rep":  # a str sentinel, not a tensor op
                        return x
                    return x + 1
            """,
            target='Decoder(), (torch.randn(3), ["Rep"])',
        ),
        Valid(
            """
            import torch

            class Gate(torch.nn.Module):
                def forward(self, x, mask=None):
                    if mask is not None:
                        x = x.masked_fill(mask, 0.0)
                    if x.dim() == 3 and x.shape[0] > 1 and self.training:
                        x = x * 2
                    return torch.where(x.sum() > 0, x, -x)
            """,
            target="Gate(), (torch.randn(2, 3, 4),)",
        ),
        Valid(
            """
            import torch

            def evaluate(model, x):
                if model(x).sum() > 0:
                    return "positive"
                return "negative"
            """
        ),
        Valid(
            """
            import torch

            @torch.compile
            def clip(x, limit: float = 1.0):
                if limit > 0:
                    x = x.clamp(-limit, limit)
                return x
            """,
            target="clip, (torch.randn(4), 0.5)",
        ),
        Valid(
            """
            import torch

            class Quantizer(torch.nn.Module):
                def __init__(self, optimize_values: bool = True):
                    super().__init__()
                    self.register_buffer("weight", torch.tensor(1.0))

                def forward(self, x):
                    # `self.optimize_values` is never stored: the test raises if it is reached
                    if self.training and not self.optimize_values:
                        if self.weight != 0:
                            x = x * 2
                    return x
            """,
            target="Quantizer().eval(), (torch.ones(2),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            class Encoder(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.layers = torch.nn.ModuleList([torch.nn.Linear(4, 4) for _ in range(3)])
                    self.layerdrop = 0.1

                def forward(self, x):
                    for i, layer in enumerate(self.layers):
                        p = torch.rand([])
                        skip = self.training and i > 0 and (p < self.layerdrop)
                        if not skip:
                            x = layer(x)
                    return x
            """,
            line=13,
            target="Encoder(), (torch.randn(2, 4),)",
        ),
        Invalid(
            """
            import torch

            @torch.compile
            def keep_some(x, p: float):
                keep = torch.rand(x.shape[0]) > p
                if all(keep):
                    return x
                return x * keep[:, None]
            """,
            line=6,
            target="keep_some, (torch.randn(3, 2), 0.5)",
        ),
        Invalid(
            """
            import torch

            class LayerDrop(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.layers = torch.nn.ModuleList([torch.nn.Linear(4, 4) for _ in range(3)])

                def forward(self, x):
                    to_drop = torch.rand(len(self.layers)) < 0.2
                    for layer in [m for m, drop in zip(self.layers, to_drop) if not drop]:
                        x = layer(x)
                    return x
            """,
            line=10,
            target="LayerDrop(), (torch.randn(2, 4),)",
        ),
        Invalid(
            """
            import torch

            @torch.compile
            def relu_or_neg(x):
                if x.sum() > 0:
                    return x.relu()
                return -x
            """,
            line=5,
            target="relu_or_neg, (torch.randn(4),)",
        ),
        Invalid(
            """
            import torch

            @torch.compile
            def gate(x):
                if x.mean() > 0:
                    y = x * 2
                else:
                    y = -x
                return y
            """,
            line=5,
            target="gate, (torch.randn(4),)",
            fixed="""
            import torch

            @torch.compile
            def gate(x):
                y = torch.where(x.mean() > 0, x * 2, -x)
                return y
            """,
        ),
        Invalid(
            """
            import torch
            from torch import nn

            class Loop(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.step = nn.Linear(4, 4)

                def forward(self, x):
                    y = self.step(x)
                    while y.norm() > 1:
                        y = y / 2
                    return y
            """,
            line=11,
            target="Loop(), (torch.randn(4),)",
        ),
        Invalid(
            """
            import torch

            @torch.compile
            def pick(a, b):
                return a if (a > b).all() else b
            """,
            line=5,
            target="pick, (torch.randn(3), torch.randn(3))",
        ),
    ]

    def _condition(self, test: cst.BaseExpression) -> bool:
        if isinstance(test, cst.BooleanOperation):
            # `not is_compiling() and <check>`: Dynamo never evaluates the right operand
            skipped = self.context.under_dynamo(test.left) is isinstance(test.operator, cst.Or)
            return self._condition(test.left) or (not skipped and self._condition(test.right))
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            return self._condition(test.expression)
        if isinstance(test, cst.Name):
            value = self.context.value(test)
            if value.optional:
                # `if mask:` on `mask=None` / `guidance: Optional[Tensor] = None`: a None check
                # (a tensor of more than one element would raise eagerly)
                return False
        return self.tensor(test)

    def _check(self, test: cst.BaseExpression, keyword: str) -> None:
        if self.context.in_mod:
            return  # FlexAttention mods: CA205
        if self._condition(test):
            self.report(test, keyword=keyword)

    def visit_If(self, node: cst.If) -> None:
        if self.context.in_mod:
            return  # FlexAttention mods: CA205
        if self._condition(node.test):
            self.report(node.test, keyword="if", fix=self._where(node))

    def _where(self, node: cst.If):
        """``if c: x = a / else: x = b`` -> ``x = torch.where(c, a, b)``."""
        torch = self.context.torch_name()
        if torch is None or not isinstance(node.orelse, cst.Else):
            return None
        sides = []
        for block in (node.body, node.orelse.body):
            if len(block.body) != 1 or not isinstance(block.body[0], cst.SimpleStatementLine):
                return None
            line = block.body[0]
            if len(line.body) != 1 or not isinstance(line.body[0], cst.Assign) or len(line.body[0].targets) != 1:
                return None
            target = line.body[0].targets[0].target
            if not isinstance(target, cst.Name):
                return None
            sides.append((target.value, line.body[0].value))
        (name, a), (other, b) = sides
        if name != other:
            return None
        module = self.context.module
        call = cst.parse_expression(
            f"{torch}.where({module.code_for_node(node.test)}, {module.code_for_node(a)}, {module.code_for_node(b)})"
        )
        statement = cst.SimpleStatementLine(
            body=[cst.Assign(targets=[cst.AssignTarget(cst.Name(name))], value=call)],
            leading_lines=node.leading_lines,
        )
        return Edit(safe=False, replacements={node: statement})

    def visit_While(self, node: cst.While) -> None:
        self._check(node.test, "while")

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._check(node.test, "... if ... else ...")

    def visit_CompIf(self, node: cst.CompIf) -> None:
        self._check(node.test, "[... for ... if ...]")
