import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid

#: ops tagged ``dynamic_output_shape`` that have no fake implementation: Dynamo breaks on them
#: (GB0036) even where it captures ``nonzero``/``unique`` (CA110) as unbacked sizes
NO_META = {
    "torch.linalg.lstsq": "GB0036",
    "torch.nn.functional.ctc_loss": "GB0036",
    "torch.ctc_loss": "GB0036",
}
CTC_LAYERS = frozenset({"torch.nn.CTCLoss", "torch.nn.modules.loss.CTCLoss"})
ONE_HOT = "torch.nn.functional.one_hot"


class UncapturableDynamicShapeOp(Rule):
    code = "CA141"
    name = "uncapturable-dynamic-shape-op"
    severity = "error"
    message = (
        "`{name}` in compiled code: {reason}; Dynamo breaks the graph ({gb}), also under "
        "`fullgraph=True`"
    )
    what = (
        "Flags ops whose output shape depends on tensor data and that Dynamo cannot capture even "
        "with dynamic output shapes on: `torch.linalg.lstsq`, `ctc_loss` (`torch.nn.functional."
        "ctc_loss`, `torch.ctc_loss`, a `torch.nn.CTCLoss` layer) and `torch.nn.functional.one_hot` "
        "without `num_classes` (or with `-1`)."
    )
    why = (
        "`aten.linalg_lstsq` and `aten._ctc_loss` are tagged `dynamic_output_shape` and have no "
        "fake (meta) implementation that could give their outputs unbacked sizes, so Dynamo stops "
        "at them (GB0036) in every mode, unlike `nonzero` or `unique` (CA110), which "
        "`fullgraph=True` captures. `one_hot` without `num_classes` sizes its output by the "
        "largest label in the data; Dynamo refuses it outright (GB0246)."
    )
    fix_safety = (
        "No automatic fix: pass `num_classes` to `one_hot`; solve least squares with "
        "`torch.linalg.pinv(A) @ B` or the normal equations (`torch.linalg.solve(A.mT @ A, A.mT @ B)`), "
        "or keep `lstsq`/`ctc_loss` outside the compiled region (`torch.compiler.disable`)."
    )
    gb_codes = ("GB0036", "GB0246")
    verdict = (
        "torch 2.13 and 2.14: breaks at the call in default mode and under `fullgraph=True` "
        "(`lstsq`, `ctc_loss`: GB0036 'Dynamic shape operator'; `one_hot` without `num_classes`: GB0246)."
    )
    VALID = [
        Valid(
            """
            import torch
            import torch.nn.functional as F

            @torch.compile
            def encode(labels):
                return F.one_hot(labels, num_classes=10).float()
            """,
            target="encode, (torch.tensor([1, 3, 2]),)",
        ),
        Valid(
            """
            import torch

            @torch.compile
            def fit_probe(feats, targets):
                sol = torch.linalg.pinv(feats) @ targets
                return feats @ sol
            """,
            target="fit_probe, (torch.randn(10, 4), torch.randn(10, 2))",
        ),
        Valid(
            """
            import torch

            class Head(torch.nn.Module):
                def __init__(self, classes: int = 5):
                    super().__init__()
                    self.classes = classes

                def forward(self, logits, labels):
                    target = torch.nn.functional.one_hot(labels, self.classes)
                    return (logits.log_softmax(-1) * target).sum()
            """,
            target="Head(), (torch.randn(3, 5), torch.tensor([0, 4, 2]))",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            @torch.compile
            def fit_probe(feats, targets):
                sol = torch.linalg.lstsq(feats, targets).solution
                return feats @ sol
            """,
            line=5,
            target="fit_probe, (torch.randn(10, 4), torch.randn(10, 2))",
        ),
        Invalid(
            """
            import torch
            import torch.nn.functional as F

            class LabelSmoothing(torch.nn.Module):
                def forward(self, logits, labels):
                    target = F.one_hot(labels).float() * 0.9 + 0.1 / logits.shape[-1]
                    return -(logits.log_softmax(-1) * target).sum(-1).mean()
            """,
            line=6,
            target="LabelSmoothing(), (torch.randn(3, 5), torch.tensor([0, 4, 2]))",
        ),
        Invalid(
            """
            import torch

            class CTCHead(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.proj = torch.nn.Linear(8, 5)
                    self.ctc = torch.nn.CTCLoss()

                def forward(self, feats, targets, in_lens, tgt_lens):
                    log_probs = self.proj(feats).log_softmax(-1)
                    return self.ctc(log_probs, targets, in_lens, tgt_lens)
            """,
            line=11,
            target=(
                "CTCHead(), (torch.randn(6, 2, 8), torch.randint(1, 5, (2, 3)),"
                " torch.full((2,), 6, dtype=torch.long), torch.full((2,), 3, dtype=torch.long))"
            ),
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        qualified = self.qualified_name(node.func)
        if qualified in NO_META:
            self.report(node, name=f"{self.source(node.func)}()", gb=NO_META[qualified],
                        reason="its output shape depends on the data and it has no meta kernel to capture it")
        elif qualified == ONE_HOT and self._no_classes(node):
            self.report(node, name=f"{self.source(node.func)}()", gb="GB0246",
                        reason="without `num_classes` the output's width is the largest label in the data")
        elif self._ctc_layer(node.func):
            self.report(node, name=f"{self.source(node.func)}()", gb="GB0036",
                        reason="`CTCLoss` runs `aten._ctc_loss`, whose output shape depends on the data")

    @staticmethod
    def _no_classes(node: cst.Call) -> bool:
        """``one_hot(x)`` or ``one_hot(x, -1)``: what Dynamo refuses (``num_classes=-1`` by
        keyword reaches the op and is captured under ``fullgraph=True``)."""
        if any(a.star for a in node.args):
            return False
        if len(node.args) == 1 and node.args[0].keyword is None:
            return True
        if len(node.args) == 2 and all(a.keyword is None for a in node.args):
            second = node.args[1].value
            return (isinstance(second, cst.UnaryOperation) and isinstance(second.operator, cst.Minus)
                    and isinstance(second.expression, cst.Integer) and second.expression.value == "1")
        return False

    def _ctc_layer(self, func: cst.BaseExpression) -> bool:
        value = self.context.value(func)
        return value.kind == "module" and isinstance(value.layer, str) and value.layer in CTC_LAYERS
