from compile_audit.lint.rule import CallRule, Invalid, Valid


class FrameInspection(CallRule):
    code = "CA120"
    name = "frame-inspection"
    severity = "error"
    CALLS = frozenset({"inspect.currentframe", "inspect.stack", "inspect.getframeinfo", "inspect.getouterframes",
                       "inspect.trace", "sys._getframe", "traceback.extract_stack", "traceback.print_stack",
                       "traceback.format_stack"})
    message = "`{name}()` inspects the interpreter's frames, which do not exist in a graph: Dynamo breaks it (GB0007)"
    what = "Flags frame and stack inspection (`inspect.currentframe/stack`, `sys._getframe`, `traceback.*_stack`) inside compiled code."
    why = (
        "Dynamo replaces Python frames with a graph; code that reads the live call stack cannot "
        "be traced and is skipped (GB0007). `inspect.signature` of a function is static and "
        "compiles."
    )
    fix_safety = "No automatic fix: compute the information outside compiled code."
    gb_codes = ("GB0007",)
    verdict = "torch 2.13: breaks in every mode (GB0007)."
    VALID = [
        Valid(
            """
            import inspect

            import torch

            def helper(a, b):
                return a + b

            @torch.compile
            def step(x):
                n = len(inspect.signature(helper).parameters)
                return x * n
            """,
            target="step, (torch.ones(2),)",
        ),
        Valid(
            """
            import sys

            import torch

            class Net(torch.nn.Module):
                def forward(self, x):
                    return x * sys.maxsize.bit_length()
            """,
            target="Net(), (torch.ones(2),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import inspect

            import torch

            @torch.compile
            def step(x):
                frame = inspect.currentframe()
                return x + 1, frame is None
            """,
            line=7,
            target="step, (torch.ones(2),)",
        ),
        Invalid(
            """
            import sys

            import torch

            class Net(torch.nn.Module):
                def forward(self, x):
                    caller = sys._getframe(1).f_code.co_name
                    return x * len(caller)
            """,
            line=7,
            target="Net(), (torch.ones(2),)",
        ),
    ]
