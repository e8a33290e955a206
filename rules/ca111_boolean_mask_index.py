import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid


class BooleanMaskIndex(Rule):
    code = "CA111"
    name = "boolean-mask-index"
    severity = "warning"
    proof = "default"
    message = (
        "indexing with a boolean mask gives a data-dependent number of elements: graph break in plain "
        "`torch.compile` (GB0036) unless dynamic output shapes are captured (as `fullgraph=True` does "
        "since torch 2.10)"
    )
    what = (
        "Flags `x[mask]` inside compiled code where the index is a boolean tensor: a comparison of "
        "tensors (`x[x > 0]`), a logical combination of them, or a name assigned one."
    )
    why = (
        "Boolean-mask indexing is `nonzero` in disguise: the result's length is the number of "
        "`True` values, which Dynamo cannot know while tracing. It breaks the graph in default "
        "mode (GB0036) or, with capture on, introduces an unbacked size."
    )
    fix_safety = "No automatic fix: use `torch.where(mask, x, 0)` or `x * mask` to keep the shape static."
    gb_codes = ("GB0036",)
    verdict = "torch 2.13: breaks in default mode (GB0036); captured under `fullgraph=True`."
    VALID = [
        Valid(
            """
            import torch

            class Match(torch.nn.Module):
                def forward(self, matched_idx, min_values):
                    matched_idx[min_values < 1e-5] = -1  # a masked store: index_put_, no dynamic shape
                    return matched_idx
            """,
            target='Match(), (torch.arange(6), torch.rand(6))',
        ),
        Valid(
            """
            import torch

            @torch.compile
            def relu_sum(x):
                return torch.where(x > 0, x, 0.0).sum()
            """,
            target="relu_sum, (torch.randn(6),)",
        ),
        Valid(
            """
            import torch

            class Pick(torch.nn.Module):
                def forward(self, x, idx):
                    return x[idx] + x[:, 0:1].sum() + x[0]
            """,
            target="Pick(), (torch.randn(4, 3), torch.tensor([0, 2]))",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            @torch.compile
            def relu_sum(x):
                return x[x > 0].sum()
            """,
            line=5,
            target="relu_sum, (torch.randn(6),)",
        ),
        Invalid(
            """
            import torch

            class Select(torch.nn.Module):
                def forward(self, x, lo: float = -1.0):
                    keep = (x > lo) & (x < 1)
                    return x[keep].mean()
            """,
            line=6,
            target="Select(), (torch.randn(6),)",
        ),
    ]

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return
        parent = self.context.ancestors[-2] if len(self.context.ancestors) > 1 else None
        if isinstance(parent, (cst.AssignTarget, cst.AugAssign)) and parent.target is node:
            return  # `x[mask] = v` is an index_put_: no data-dependent shape
        mask = self.context.tensor(node.slice[0].slice.value)
        if mask is not None and mask.boolean and self.context.is_tensor(node.value):
            self.report(node, evidence=mask)
