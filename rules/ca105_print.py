import libcst as cst

from compile_audit.lint.edits import guard_statement
from compile_audit.lint.rule import Invalid, Rule, Valid


class PrintInCompiled(Rule):
    code = "CA105"
    reports_on_input = True
    name = "print-in-compiled"
    severity = "error"
    message = "`print()` in compiled code: Dynamo cannot trace it and breaks the graph (GB0059)"
    what = (
        "Flags `print(...)` calls inside compiled code, including FlexAttention `score_mod`/`mask_mod` "
        "functions. A print in a branch the default call does not take (`if verbose:` with "
        "`verbose=False`), or one taken only for inputs of some shape, rank or type, is not flagged: "
        "it reports on the caller's input."
    )
    why = (
        "`print` is a Python side effect Dynamo does not put in a graph: it ends the graph, "
        "prints eagerly and resumes in a new frame. Inside a FlexAttention mod it makes even "
        "eager `flex_attention` fail, because the mod is traced there too. Printing a tensor "
        "also forces a device sync."
    )
    fix = "unsafe"
    fix_safety = (
        "Unsafe fix: the statement is guarded with `if not torch.compiler.is_compiling():`, so it "
        "still prints when the code runs eagerly but no longer inside a compiled graph (where "
        "Dynamo would have printed it in an eager fallback). Unsafe because compiled runs stop "
        "printing. Alternatively register `print` in `torch._dynamo.config.reorderable_logging_functions`."
        " Escape hatches that keep the call site in the graph: put the code in a function decorated "
        "`@torch.library.custom_op` (opaque to Dynamo; needs a fake implementation, `register_fake`) or "
        "`@torch._dynamo.nonstrict_trace` (traced without Dynamo: tensors and pytrees in and out, no "
        "side effects seen); compile-audit does not look inside either."
    )
    gb_codes = ("GB0059",)
    verdict = "torch 2.13: breaks in every mode (GB0059)."
    VALID = [
        Valid(
            """
            import torch


            @torch._dynamo.nonstrict_trace
            def report(x):
                print("norm", x.norm())  # not traced by Dynamo: no break at the call either
                return x


            @torch.compile
            def step(x):
                return report(x * 2) + 1
            """,
            target="step, (torch.randn(3),)",
        ),
        Valid(
            """
            import os

            import torch

            @torch.compile
            def attend(q, k):
                scores = q @ k.T
                if os.environ.get("ATTN_DEBUG"):  # a debug switch, off unless the user sets it
                    print("scores", scores)
                return scores.softmax(-1)
            """,
            target="attend, (torch.randn(2, 4), torch.randn(3, 4))",
        ),
        Valid(
            """
            import torch

            class Net(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    print("building Net")

                def forward(self, x):
                    if not torch.compiler.is_compiling():
                        print("eager call", x.shape)
                    return x + 1
            """,
            target="Net(), (torch.randn(2),)",
        ),
        Valid(
            """
            import torch

            def main():
                model = torch.compile(torch.nn.Linear(4, 4))
                print(model(torch.randn(2, 4)))
            """
        ),
        Valid(
            """
            import torch

            class Net(torch.nn.Module):
                def forward(self, x, verbose=False):
                    if verbose:
                        print("input", x.shape)
                    return x * 2
            """,
            target="Net(), (torch.ones(2),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            class Net(torch.nn.Module):
                def forward(self, x):
                    print("forward", x.shape)
                    return x + 1
            """,
            line=5,
            target="Net(), (torch.randn(2),)",
            fixed="""
            import torch

            class Net(torch.nn.Module):
                def forward(self, x):
                    if not torch.compiler.is_compiling():
                        print("forward", x.shape)
                    return x + 1
            """,
        ),
        Invalid(
            """
            import torch

            def log_stats(x):
                print(x.mean())

            @torch.compile
            def step(x):
                log_stats(x)
                return x * 2
            """,
            line=4,
            target="step, (torch.randn(2),)",
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        if self.context.qualified_name(node.func) == "builtins.print" and not self._reordered(node):
            self.report(node, fix=guard_statement(self.context, node))

    def _reordered(self, node: cst.Call) -> bool:
        """The project lists ``print`` in ``torch._dynamo.config.reorderable_logging_functions``
        (or ``ignore_logging_functions``) and the call prints only constants and tensors: Dynamo
        moves it after the graph, no break (a Python number read from a tensor cannot be moved)."""
        project = self.context.scope.project
        listed = project.dynamo_config.get("logging_functions", ()) if project is not None else ()
        if "builtins.print" not in listed:
            return False
        return all(isinstance(a.value, (cst.SimpleString, cst.Integer, cst.Float)) or self.context.is_tensor(a.value)
                   for a in node.args if a.keyword is None)
