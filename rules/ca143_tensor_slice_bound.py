from typing import Optional

import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid
from compile_audit.rules._evidence import computed_by_tensor_op
from compile_audit.analysis.lattice import Value


#: factories whose positional arguments (and ``SIZE_KEYWORDS``) are sizes or range ends
SIZE_FACTORIES = frozenset({"torch.arange", "torch.zeros", "torch.ones", "torch.empty", "torch.full", "torch.randn",
                            "torch.rand", "torch.eye"})
#: tensor methods whose positional arguments are sizes
SIZE_METHODS = frozenset({"view", "reshape", "expand", "new_zeros", "new_ones", "new_empty", "new_full"})
#: of those, the ones whose first positional argument alone is the size (the rest is a value)
FIRST_ONLY = frozenset({"torch.full", "new_full"})
SIZE_KEYWORDS = frozenset({"size", "start", "end", "step"})


class TensorSliceBound(Rule):
    code = "CA143"
    name = "tensor-slice-bound"
    severity = "warning"
    captured_by = "capture_scalar_outputs"
    proof = "default"
    message = (
        "`{bound}` is a tensor used as {where} in compiled code: Python needs an int, so it is read "
        "with an implicit `.item()`: graph break in plain `torch.compile` (GB0124; GB0033 for a size) unless "
        "`capture_scalar_outputs` is on, which `fullgraph=True` implies since torch 2.10"
    )
    what = (
        "Flags a tensor used as a slice bound (`x[:, :lengths.max()]`, `x[n:n + 2]` where `n` holds a "
        "tensor), a tensor used as the index of a Python list or tuple (`blocks[t]`), and a tensor "
        "passed where a factory or a view needs an int size (`torch.arange(pos[-1] - pos[0])`, "
        "`torch.zeros(n)`, `x.view(n, -1)` where `n` holds a tensor) inside compiled code. Indexing a tensor with a tensor (`x[idx]`, advanced indexing) is not flagged: "
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
    gb_codes = ("GB0124", "GB0033")
    verdict = (
        "torch 2.13 and 2.14: breaks in default mode (GB0124; a size: GB0033, 'Data dependent "
        "operator'); captured under `fullgraph=True`."
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
        Invalid(
            """
            import torch

            class RelativePositions(torch.nn.Module):
                def forward(self, pos: torch.Tensor):
                    max_dist = pos[-1] - pos[0]
                    return torch.arange(max_dist + 1, dtype=torch.long)
            """,
            line=6,
            target="RelativePositions(), (torch.tensor([0, 2, 4, 6]),)",
        ),
        Invalid(
            """
            import torch

            @torch.compile
            def split_heads(x, lengths):
                heads = lengths.max()
                return x.view(heads, -1).sum(-1)
            """,
            line=6,
            target="split_heads, (torch.randn(8), torch.tensor([2, 4]))",
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

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        qualified = self.qualified_name(func) or ""
        if qualified in SIZE_FACTORIES:
            where = f"a size of `{qualified}`"
            first_only = qualified in FIRST_ONLY
        elif isinstance(func, cst.Attribute) and func.attr.value in SIZE_METHODS and self.context.is_tensor(func.value):
            where = f"a size of `.{func.attr.value}()`"
            first_only = func.attr.value in FIRST_ONLY
        else:
            return
        positional = [a for a in node.args if a.keyword is None and a.star == ""]
        sizes = positional[:1] if first_only else positional
        sizes += [a for a in node.args if a.keyword is not None and a.keyword.value in SIZE_KEYWORDS]
        for arg in sizes:
            elements = [e.value for e in arg.value.elements] if isinstance(arg.value, (cst.Tuple, cst.List)) else [arg.value]
            for element in elements:
                value = self._tensor(element)
                if value is not None:
                    self.report(node, bound=self.source(element), where=where, evidence=value)
                    return

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
