from typing import Optional

import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid
from compile_audit.rules._evidence import computed_by_tensor_op
from compile_audit.analysis.lattice import Value


class TensorSliceBound(Rule):
    code = "CA143"
    name = "tensor-slice-bound"
    severity = "warning"
    proof = "default"
    message = (
        "`{bound}` is a tensor used as {where} in compiled code: Python needs an int, so it is read "
        "with an implicit `.item()`: graph break in plain `torch.compile` (GB0124) unless "
        "`capture_scalar_outputs` is on, which `fullgraph=True` implies since torch 2.10"
    )
    what = (
        "Flags a tensor used as a slice bound (`x[:, :lengths.max()]`, `x[n:n + 2]` where `n` holds a "
        "tensor) and a tensor used as the index of a Python list or tuple (`blocks[t]`) inside "
        "compiled code. Indexing a tensor with a tensor (`x[idx]`, advanced indexing) is not flagged: "
        "Dynamo traces it."
    )
    why = (
        "A slice bound and a list index must be Python integers: Python calls `__index__` on the "
        "tensor, which is `.item()`. Dynamo cannot know the value while tracing, so in default mode "
        "it ends the graph there (GB0124). With scalar capture (implied by `fullgraph=True` on torch "
        "2.10+) a tensor slice gets an unbacked size instead (later decisions on it can still fail), "
        "and slicing a Python list by it fails under `fullgraph=True` too. The rule only trusts "
        "tensors that come out of a tensor operation (or an annotation): an unannotated parameter "
        "used as a slice bound is taken for the int it usually is."
    )
    fix_safety = (
        "No automatic fix: slice by a Python int known at trace time (`x.shape[1]`, a config "
        "value), keep the full width and mask (`x * (torch.arange(T) < n)`), or use "
        "`torch.narrow`/`index_select` with a tensor index."
    )
    gb_codes = ("GB0124",)
    verdict = (
        "torch 2.13 and 2.14: breaks in default mode (GB0124); a tensor sliced by it is captured "
        "under `fullgraph=True`."
    )
    VALID = [
        Valid(
            """
            import torch

            @torch.compile
            def gather_rows(x, idx):
                rows = x[idx]  # advanced indexing with an index tensor: traced
                return rows[:, : x.shape[1] // 2]
            """,
            target="gather_rows, (torch.randn(6, 4), torch.tensor([0, 2, 3]))",
        ),
        Valid(
            """
            import torch

            class PickStep(torch.nn.Module):
                def forward(self, x, first):
                    return x[first:first + 2]  # an unannotated bound: taken for an int
            """,
            target="PickStep(), (torch.randn(6, 4), 1)",
        ),
        Valid(
            """
            import torch

            class Trim(torch.nn.Module):
                def forward(self, x, mask):
                    keep = mask.sum(-1, keepdim=True) > torch.arange(x.shape[1])
                    return x * keep[..., None]
            """,
            target="Trim(), (torch.randn(2, 6, 4), torch.ones(2, 6))",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            class TrimPadding(torch.nn.Module):
                def forward(self, x, lengths):
                    max_len = lengths.max()
                    return x[:, :max_len]
            """,
            line=6,
            target="TrimPadding(), (torch.randn(2, 6, 4), torch.tensor([3, 4]))",
        ),
        Invalid(
            """
            import torch

            @torch.compile
            def window(x: torch.Tensor, start: torch.Tensor):
                return x[start:start + 2]
            """,
            line=5,
            target="window, (torch.randn(6, 4), torch.tensor(1))",
        ),
        Invalid(
            """
            import torch

            @torch.compile
            def crop(x, scores):
                y = x.clone()
                y[:, scores.argmax():] = 0
                return y
            """,
            line=6,
            target="crop, (torch.randn(2, 6), torch.randn(6))",
        ),
    ]

    def visit_Subscript(self, node: cst.Subscript) -> None:
        bounds = []
        for element in node.slice:
            if isinstance(element.slice, cst.Slice):
                bounds += [b for b in (element.slice.lower, element.slice.upper, element.slice.step) if b is not None]
        for bound in bounds:
            value = self._tensor(bound)
            if value is not None:
                self.report(node, bound=self.source(bound), where="a slice bound", evidence=value)
                return
        if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index) and self._sequence(node.value):
            index = node.slice[0].slice.value
            value = self._tensor(index)
            if value is not None:
                self.report(node, bound=self.source(index), where="the index of a Python sequence", evidence=value)

    def _tensor(self, expr: cst.BaseExpression) -> Optional[Value]:
        value = self.context.tensor(expr)
        if value is None:
            return None
        if value.assumed:
            func = self.context.current_function
            if not computed_by_tensor_op(expr, func.node if func is not None else None):
                return None  # an unannotated parameter, maybe through arithmetic: as likely an int
        return value

    def _sequence(self, expr: cst.BaseExpression) -> bool:
        """A list or tuple the model knows (a literal, ``List[...]``/``Tuple[...]``): not a dict."""
        value = self.context.value(expr)
        return value.kind == "container" and value.key is None and (value.elem is not None or value.items is not None)
