import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid


class BooleanMaskIndex(Rule):
    code = "CA111"
    name = "boolean-mask-index"
    severity = "warning"
    captured_by = "capture_dynamic_output_shape_ops"
    proof = "default"
    message = (
        "indexing with a boolean mask gives a data-dependent number of elements: graph break in plain "
        "`torch.compile` (GB0036) unless dynamic output shapes are captured (as `fullgraph=True` does "
        "since torch 2.10)"
    )
    what = (
        "Flags `x[mask]` and `x[:, mask]` (a boolean tensor anywhere in the index) inside compiled "
        "code, where the mask is a comparison of tensors (`x[x > 0]`), a logical combination of them, "
        "a name assigned one, or a tensor named as a mask (`mask`, `node_mask`: PyG's "
        "`x[mask]` on a `mask: Tensor` parameter). Stores (`x[mask] = v`, also inside a tuple target) are not flagged."
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
        Valid(
            """
            import torch

            @torch.compile
            def zero_out(a, b):
                a, b = a.clone(), b.clone()
                a[a < 0], b[b < 0] = 0.0, 1.0  # masked stores in a tuple target
                return a + b
            """,
            target="zero_out, (torch.randn(6), torch.randn(6))",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch


            class SparseMLP(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.router = torch.nn.Linear(4, 2)
                    self.experts = torch.nn.ModuleList([torch.nn.Linear(4, 4) for _ in range(2)])

                def route(self, h):
                    logits = self.router(h)
                    return logits > 0, logits

                def forward(self, hidden_states: torch.Tensor):
                    router_mask, _ = self.route(hidden_states)
                    router_mask = router_mask.bool()
                    out = hidden_states.clone()
                    for idx in range(2):
                        out[router_mask[:, :, idx]] = self.experts[idx](hidden_states[router_mask[:, :, idx]])
                    return out
            """,
            line=19,
            target="SparseMLP(), (torch.randn(2, 3, 4),)",
        ),
        Invalid(
            """
            import torch

            @torch.compile
            def confident(scores, feats):
                keep = (scores.mean(-1) > 0.1) * (scores.std(-1) > 0.5)  # mask * mask: still a mask
                return feats[keep]
            """,
            line=6,
            target="confident, (torch.randn(6, 8), torch.randn(6, 3))",
        ),
        Invalid(
            """
            from typing import Optional

            import torch
            from torch import Tensor

            class LabelPropagation(torch.nn.Module):
                def forward(self, y: Tensor, mask: Optional[Tensor] = None) -> Tensor:
                    out = y
                    if mask is not None:
                        out = torch.zeros_like(y)
                        out[mask] = y[mask]
                    return out.clamp(0, 1)
            """,
            line=11,
            target="LabelPropagation(), (torch.rand(5, 3), torch.tensor([True, False, True, False, True]))",
        ),
        Invalid(
            """
            import torch

            class RemoveSelfLoops(torch.nn.Module):
                def forward(self, edge_index: torch.Tensor, edge_attr: torch.Tensor):
                    mask = edge_index[0] != edge_index[1]
                    return edge_index[:, mask], edge_attr[mask]
            """,
            line=6,
            target="RemoveSelfLoops(), (torch.tensor([[0, 1, 2], [0, 2, 1]]), torch.randn(3))",
        ),
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
        if not all(isinstance(element.slice, cst.Index) or isinstance(element.slice, cst.Slice)
                   for element in node.slice):
            return
        if self._stored(node):
            return  # `x[mask] = v`, `x[:, m], y[m] = ...`: index_put_, no data-dependent shape
        for element in node.slice:
            if not isinstance(element.slice, cst.Index):
                continue
            mask = self.context.tensor(element.slice.value)
            if mask is not None and (mask.boolean or _named_mask(element.slice.value)) \
                    and self.context.is_tensor(node.value):
                self.report(node, evidence=mask)
                return

    def _stored(self, node: cst.Subscript) -> bool:
        """Whether the subscript is written to: an assignment target, alone or inside a tuple or
        list target (``a[a == 0], b[b == 0] = ...``)."""
        ancestors = self.context.ancestors
        child = node
        for parent in reversed(ancestors[:-1]):
            if isinstance(parent, (cst.AssignTarget, cst.AugAssign)):
                return parent.target is child
            if isinstance(parent, (cst.Element, cst.StarredElement, cst.Tuple, cst.List)):
                child = parent
                continue
            return False
        return False


def _named_mask(expr: cst.BaseExpression) -> bool:
    """A tensor named as a mask (``mask``, ``node_mask``, ``self.keep_mask``): an index by it
    is a boolean mask (PyG's ``x[mask]`` on ``mask: Tensor``), where an integer index would be
    named ``idx``/``index``."""
    name = expr.attr.value if isinstance(expr, cst.Attribute) else expr.value if isinstance(expr, cst.Name) else ""
    return name == "mask" or name.endswith("_mask") or name.startswith("mask_")
