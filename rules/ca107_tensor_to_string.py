import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid
from compile_audit.rules._first_use import bound_name, read_after

STRINGIFY = {"builtins.str": "str", "builtins.repr": "repr", "builtins.format": "format"}


class TensorToString(Rule):
    code = "CA107"
    name = "tensor-to-string"
    severity = "error"
    message = "{what} of a tensor in compiled code: Dynamo cannot trace tensor formatting and breaks the graph ({gb})"
    what = (
        "Flags `str(t)`, `repr(t)`, `format(t)`, `'...'.format(t)` and f-strings that format a "
        "tensor value inside compiled code. Formatting shapes, dtypes and devices is fine, and so "
        "are messages of `raise` and `assert`, which are only built when the check fails."
    )
    why = (
        "Printing a tensor's values needs the values: Dynamo breaks the graph (GB0059 for `str`, "
        "GB0569 for `repr`). An f-string or `.format` of a tensor is deferred while its result is "
        "unused, but breaks (GB0088) as soon as the string is used, for instance in a log call or "
        "an exception message."
    )
    fix_safety = "No automatic fix: format outside the compiled region, or format `t.shape` / `t.dtype` instead."
    gb_codes = ("GB0059", "GB0569", "GB0088")
    verdict = "torch 2.13: `str`/`repr` break in every mode; f-strings and `.format` when their result is used."
    VALID = [
        Valid(
            """
            import torch

            @torch.compile
            def flatten(x):
                assert x.dim() == 2, f"expected a matrix, got {x.shape} holding {x}"  # built only on failure
                return x.reshape(-1)
            """,
            target="flatten, (torch.randn(2, 3),)",
        ),
        Valid(
            """
            import torch

            class Rotary(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.register_buffer("full_inv_freq", torch.ones(4))

                def forward(self, x, layer_type="full", device=None):
                    inv_freq = getattr(self, f"{layer_type}_inv_freq")  # a str parameter
                    return x * inv_freq, str(device)
            """,
            target='Rotary(), (torch.randn(4),)',
        ),
        Valid(
            """
            import torch

            @torch.compile
            def describe(x):
                tag = f"shape={tuple(x.shape)} dtype={x.dtype}"
                return x + len(tag)
            """,
            target="describe, (torch.ones(4),)",
        ),
        Valid(
            """
            import torch

            class Net(torch.nn.Module):
                def forward(self, x):
                    name = str(x.dim()) + repr(x.device)
                    return x * len(name)
            """,
            target="Net(), (torch.ones(4),)",
        ),
    ]
    VALID.append(
        Valid(
            """
            import torch

            class Net(torch.nn.Module):
                def forward(self, x, limit):
                    if x.shape[0] > 8:
                        raise ValueError(f"batch too large: {x} (limit {limit})")
                    return x * 2
            """,
            target="Net(), (torch.ones(4), torch.tensor(8))",
        )
    )
    VALID.append(
        Valid(
            """
            import torch

            @torch.compile
            def step(x):
                tag = f"mean={x.mean()}"  # built lazily and never used: nothing is formatted
                return x + 1
            """,
            target="step, (torch.ones(4),)",
        )
    )
    INVALID = [
        Invalid(
            """
            import torch

            @torch.compile
            def describe(x):
                tag = f"mean={x.mean()}"
                return x * len(tag)
            """,
            line=6,
            target="describe, (torch.ones(4),)",
        ),
        Invalid(
            """
            import torch

            @torch.compile
            def describe(x):
                text = str(x)
                return x + len(text)
            """,
            line=5,
            target="describe, (torch.ones(4),)",
        ),
        Invalid(
            """
            import torch

            class Net(torch.nn.Module):
                def forward(self, x):
                    return x + len(f"{x.sum()}")
            """,
            line=5,
            target="Net(), (torch.ones(4),)",
        ),
        Invalid(
            """
            import torch

            @torch.compile
            def describe(x):
                return x + len(repr(x))
            """,
            line=5,
            target="describe, (torch.ones(4),)",
        ),
    ]

    def __init__(self, context) -> None:
        super().__init__(context)
        self._error_paths = 0

    # messages of `raise` and `assert` are only formatted when the check fails
    def visit_Raise(self, node: cst.Raise) -> None:
        self._error_paths += 1

    def leave_Raise(self, original_node: cst.Raise) -> None:
        self._error_paths -= 1

    def visit_Assert(self, node: cst.Assert) -> None:
        self._error_paths += 1

    def leave_Assert(self, original_node: cst.Assert) -> None:
        self._error_paths -= 1

    def visit_Call(self, node: cst.Call) -> None:
        if self._error_paths:
            return
        func = STRINGIFY.get(self.qualified_name(node.func) or "")
        if func and node.args and self.tensor(node.args[0].value):
            self.report(node, what=f"`{func}()`", gb="GB0569" if func == "repr" else "GB0059")
        elif (
            isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "format"
            and isinstance(node.func.value, (cst.SimpleString, cst.ConcatenatedString))
            and any(self.tensor(a.value) for a in node.args)
        ):
            self.report(node, what="`str.format()`", gb="GB0088")

    def visit_FormattedString(self, node: cst.FormattedString) -> None:
        if self._error_paths:
            return
        for part in node.parts:
            if isinstance(part, cst.FormattedStringExpression) and self.tensor(part.expression):
                evidence = self._belief
                # `tag = f"..."`: Dynamo builds the string lazily and breaks where it is first
                # used (never, if it is not): the finding goes to a read that certainly follows
                if bound_name(self.context.ancestors, node) is None:
                    self.report(node, what="an f-string", gb="GB0088")
                    return
                use = read_after(self.context.ancestors, node)
                if use is not None:
                    name = use[0]
                    self.report(use[1], f"`{name}`, an f-string of a tensor, is used in compiled code: Dynamo "
                                "formats it only here, cannot trace tensor formatting and breaks the graph (GB0088)",
                                evidence=evidence)
                self._belief = None
                return
