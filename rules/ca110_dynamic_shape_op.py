import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid

FUNCTIONS = frozenset(
    {
        "torch.nonzero", "torch.masked_select", "torch.unique", "torch.unique_consecutive",
        "torch.argwhere", "torch.bincount", "torch.repeat_interleave",
    }
)
METHODS = frozenset({"nonzero", "masked_select", "unique", "unique_consecutive", "argwhere", "bincount"})


class DynamicShapeOp(Rule):
    code = "CA110"
    name = "dynamic-shape-op"
    severity = "warning"
    captured_by = "capture_dynamic_output_shape_ops"
    proof = "default"
    message = (
        "`{name}` returns a tensor whose size depends on the data: graph break in plain "
        "`torch.compile` (GB0036) unless `capture_dynamic_output_shape_ops` is on (implied by "
        "`fullgraph=True` since torch 2.10)"
    )
    what = (
        "Flags ops whose output shape depends on tensor values inside compiled code: `nonzero`, "
        "`masked_select`, `unique`, `unique_consecutive`, `argwhere`, `bincount`, one-argument "
        "`torch.where(cond)`, and `repeat_interleave` with a tensor of repeats."
    )
    why = (
        "Dynamo propagates shapes symbolically; an output whose length is decided by the data has "
        "no static size. In default mode Dynamo breaks the graph before such an op (GB0036). With "
        "`torch._dynamo.config.capture_dynamic_output_shape_ops = True` (or `fullgraph=True` on "
        "torch 2.10+) the size becomes an unbacked symbol and the op stays in the graph, at the "
        "price of a device sync on GPU."
    )
    fix_safety = "No automatic fix: keep shapes static (`torch.where(cond, x, 0)`, masking) or enable the config."
    gb_codes = ("GB0036",)
    verdict = "torch 2.13: breaks in default mode (GB0036); captured under `fullgraph=True`."
    VALID = [
        Valid(
            """
            import torch

            @torch.compile
            def expand_tokens(x, durations):
                durations = durations.clamp(min=1)
                return torch.repeat_interleave(x, durations, dim=0, output_size=x.shape[0] * 4)
            """,
            target="expand_tokens, (torch.randn(3, 2), torch.tensor([4, 4, 4]))",
        ),
        Valid(
            """
            import torch

            @torch.compile
            def positive_part(x):
                return torch.where(x > 0, x, torch.zeros_like(x))
            """,
            target="positive_part, (torch.randn(6),)",
        ),
        Valid(
            """
            import torch

            class Count(torch.nn.Module):
                def forward(self, x):
                    return (x > 0).sum(), x.repeat_interleave(2, dim=0)
            """,
            target="Count(), (torch.randn(6),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            @torch.compile
            def positives(x):
                idx = torch.nonzero(x > 0)
                return idx.float().sum()
            """,
            line=5,
            target="positives, (torch.randn(6),)",
        ),
        Invalid(
            """
            import torch

            class Vocab(torch.nn.Module):
                def forward(self, ids):
                    seen = ids.unique()
                    return seen.float().mean()
            """,
            line=5,
            target="Vocab(), (torch.tensor([3, 1, 3, 2]),)",
        ),
        Invalid(
            """
            import torch

            @torch.compile
            def select(x):
                return torch.masked_select(x, x > 0).sum()
            """,
            line=5,
            target="select, (torch.randn(6),)",
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        qualified = self.qualified_name(node.func) or ""
        positional = [a for a in node.args if a.keyword is None]
        if qualified in FUNCTIONS:
            if qualified == "torch.repeat_interleave" and not (
                len(positional) > 1 and self.tensor(positional[1].value)
                and not any(a.keyword is not None and a.keyword.value == "output_size" for a in node.args)
            ):
                return  # int repeats, or `output_size=` given: the size is known
            self.report(node, name=self.source(node.func))
        elif qualified == "torch.where" and len(node.args) == 1:
            self.report(node, name="torch.where(condition)")
        elif (
            isinstance(node.func, cst.Attribute)
            and node.func.attr.value in METHODS
            and self.tensor(node.func.value)
        ):
            self.report(node, name=f".{node.func.attr.value}()")
