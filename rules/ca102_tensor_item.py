import libcst as cst

from compile_audit.lint.edits import Edit
from compile_audit.lint.rule import Invalid, Rule, Valid

ARITHMETIC = (cst.Add, cst.Subtract, cst.Multiply, cst.Divide, cst.FloorDivide, cst.Power, cst.Modulo)


class TensorItem(Rule):
    code = "CA102"
    name = "tensor-item"
    severity = "warning"
    captured_by = "capture_scalar_outputs"
    message = (
        "`.item()` turns a tensor into a Python number: graph break in plain `torch.compile` "
        "(GB0124) unless `capture_scalar_outputs` is on, which `fullgraph=True` implies since "
        "torch 2.10; keep the value as a 0-d tensor"
    )
    what = "Flags `.item()` calls inside compiled code (forward, compiled functions, the helpers they call)."
    why = (
        "`.item()` copies a tensor's value into Python. Dynamo traces tensors symbolically and "
        "cannot know the number at trace time, so by default it ends the graph, runs the call "
        "eagerly (a device sync on GPU) and starts a new graph after it. With "
        "`torch._dynamo.config.capture_scalar_outputs = True` (implied by `fullgraph=True` on "
        "torch 2.10 and newer) the value becomes an unbacked symbol instead, but any later "
        "Python decision on it still fails."
    )
    fix = "unsafe"
    fix_safety = (
        "Unsafe fix, when the `.item()` result is an operand of arithmetic whose other operand is a "
        "tensor: the call is dropped and the 0-d tensor used directly (`x / t.max().item()` -> "
        "`x / t.max()`). The value stays on the device and in the graph; dtype promotion and "
        "gradient flow can differ from the Python number, hence unsafe."
        " Escape hatches that keep the call site in the graph: put the code in a function decorated "
        "`@torch.library.custom_op` (opaque to Dynamo; needs a fake implementation, `register_fake`) or "
        "`@torch._dynamo.nonstrict_trace` (traced without Dynamo: tensors and pytrees in and out, no "
        "side effects seen); compile-audit does not look inside either."
    )
    gb_codes = ("GB0124",)
    proof = "default"
    verdict = (
        "torch 2.13: breaks under plain `torch.compile` (GB0124); compiles under "
        "`fullgraph=True`, which captures scalar outputs."
    )
    VALID = [
        Valid(
            """
            import torch


            @torch.library.custom_op("compile_audit_example::scale_by_sum", mutates_args=())
            def scale_by_sum(x: torch.Tensor) -> torch.Tensor:
                return x * x.sum().item()  # inside a custom op: opaque to Dynamo


            @scale_by_sum.register_fake
            def _(x):
                return torch.empty_like(x)


            @torch.compile
            def step(x):
                return scale_by_sum(x) + 1
            """,
            target="step, (torch.randn(3),)",
        ),
        Valid(
            """
            import torch

            class Upsample(torch.nn.Module):
                def forward(self, input: torch.Tensor):
                    time_factor = 1.0 + 1.0 * (input.size(2) > 1)  # a Python float
                    if isinstance(time_factor, torch.Tensor):  # never true: dead code
                        time_factor = time_factor.item()
                    return input * time_factor
            """,
            target='Upsample(), (torch.randn(1, 2, 3, 4),)',
        ),
        Valid(
            """
            import torch

            class Tiles(torch.nn.Module):
                def forward(self, x, aspect_ratio):
                    n_tiles_h = aspect_ratio[0].item()  # written for torch.export: bounded below
                    torch._check_is_size(n_tiles_h)
                    torch._check(n_tiles_h <= 4)
                    return x[:n_tiles_h]
            """
        ),
        Valid(
            """
            import torch

            @torch.compile
            def scale(x):
                return x * x.sum()
            """,
            target="scale, (torch.randn(4),)",
        ),
        Valid(
            """
            import torch

            def train(model, batches):
                for batch in batches:
                    loss = model(batch).sum()
                    print(loss.item())
            """
        ),
        Valid(
            """
            import torch

            class Counter(torch.nn.Module):
                def forward(self, x, table: dict):
                    for key, value in table.items():
                        x = x + value
                    return x
            """,
            target="Counter(), (torch.randn(3), {'a': 1.0, 'b': 2.0})",
        ),
        Valid(
            """
            import torch

            _is_compiling = getattr(torch.compiler, "is_compiling", None)


            def is_compiling() -> bool:
                return bool(_is_compiling()) if _is_compiling is not None else False


            def out_of_range(x, limit):
                if x.numel() == 0 or is_compiling():
                    return False  # compiled callers skip the eager range check
                return not (-limit <= x.min().item() and x.max().item() <= limit)


            @torch.compile
            def clamp_checked(x):
                if out_of_range(x, 10.0):
                    x = x.clamp(-10.0, 10.0)
                return x
            """,
            target="clamp_checked, (torch.ones(3),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            @torch.compile
            def scale(x):
                return x * x.sum().item()
            """,
            line=5,
            target="scale, (torch.randn(4),)",
            fixed="""
            import torch

            @torch.compile
            def scale(x):
                return x * x.sum()
            """,
        ),
        Invalid(
            """
            import torch

            def helper(t):
                return t.max().item()

            class Norm(torch.nn.Module):
                def forward(self, x):
                    return x / helper(x)
            """,
            line=4,
            target="Norm(), (torch.randn(4),)",
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value == "item" and not node.args:
            if self.context.written_for_export(node):
                return  # a torch.cond predicate, or bounded with torch._check*: written for export
            if self.context.value(func.value).kind not in ("tensor", "unknown"):
                return  # a Python number or a NumPy scalar the value model knows is not a tensor
            self.report(node, fix=self._drop(node))

    def _drop(self, node: cst.Call):
        ancestors = self.context.ancestors
        parent = ancestors[-2] if len(ancestors) > 1 else None
        if not isinstance(parent, cst.BinaryOperation) or not isinstance(parent.operator, ARITHMETIC):
            return None
        other = parent.right if parent.left is node else parent.left
        if not self.context.is_tensor(other):
            return None
        receiver = node.func.value
        return Edit(safe=False, replacements={node: receiver.with_changes(lpar=node.lpar, rpar=node.rpar) if node.lpar else receiver})
