import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid


class TensorTolist(Rule):
    code = "CA103"
    name = "tensor-tolist"
    severity = "error"
    message = (
        "`.tolist()` copies a tensor into Python values: graph break (GB0109 for floating "
        "tensors in every mode, GB0033 for integer tensors without `fullgraph=True`)"
    )
    what = "Flags `.tolist()` calls inside compiled code."
    why = (
        "A Python list of the tensor's values cannot be traced: Dynamo would need every element "
        "as a constant. Floating-point tensors always break; integer tensors break unless scalar "
        "outputs are captured (as `fullgraph=True` does on torch 2.10+), and then every element "
        "becomes an unbacked symbol that any Python decision will fail on."
    )
    gb_codes = ("GB0109", "GB0033")
    verdict = "torch 2.13: float tensors break in both modes (GB0109); integer tensors only in default mode (GB0033)."
    VALID = [
        Valid(
            """
            import torch

            def split_sizes(x, sizes):
                lengths = sizes.tolist()  # bounded with torch._check: written for export
                for n in lengths:
                    torch._check_is_size(n)
                return x.split(lengths)
            """
        ),
        Valid(
            """
            import torch

            @torch.compile
            def lengths(x):
                return x.shape[0], list(x.shape)
            """,
            target="lengths, (torch.randn(4, 2),)",
        ),
        Valid(
            """
            import torch

            def report(model, x):
                return model(x).tolist()
            """
        ),
    ]
    VALID.append(
        Valid(
            """
            import torch

            class Router(torch.nn.Module):
                def forward(self, x, scales):
                    for s in scales.unbind(0):  # tensors, not Python floats
                        x = x * s
                    return x
            """,
            target="Router(), (torch.randn(3), torch.tensor([0.5, 2.0]))",
        )
    )
    INVALID = [
        Invalid(
            """
            import torch

            @torch.compile
            def top_scores(scores):
                best = scores.topk(2).values[
                    0
                ].tolist()  # Python (and Dynamo) place the call on the line of `.tolist`
                return scores * max(best)
            """,
            line=7,
            target="top_scores, (torch.randn(3, 5),)",
        ),
        Invalid(
            """
            import torch

            @torch.compile
            def weights(x):
                return sum(x.softmax(-1).tolist())
            """,
            line=5,
            target="weights, (torch.randn(4),)",
        ),
        Invalid(
            """
            import torch

            class Router(torch.nn.Module):
                def forward(self, x, scales):
                    for s in scales.tolist():
                        x = x * s
                    return x
            """,
            line=5,
            target="Router(), (torch.randn(3), torch.tensor([0.5, 2.0]))",
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "tolist" and not node.args:
            if self.context.written_for_export(node):
                return  # bounded with torch._check*: written for export / capture_scalar_outputs
            receiver = self.context.value(func.value)
            if receiver.kind not in ("tensor", "unknown"):
                return  # a list, a torch.Size ...: not a tensor
            self.report(node)
