from compile_audit.lint.rule import CallRule, Invalid, Valid


class TimeCall(CallRule):
    code = "CA114"
    name = "time-call"
    severity = "error"
    PREFIXES = ("time.", "datetime.")
    message = "`{name}()` in compiled code: clocks are untraceable C calls, so Dynamo breaks the graph (GB0007)"
    what = (
        "Flags calls into `time` (`time.time()`, `time.perf_counter()`, `time.sleep()`, ...) and "
        "`datetime` (`datetime.now()`) inside compiled code."
    )
    why = (
        "A clock reading is a Python value that changes on every call and comes from C code "
        "Dynamo cannot trace: it breaks the graph (GB0007; GB0156 for `datetime`). Timing "
        "inside compiled code also measures tracing, not the kernel."
    )
    fix_safety = "No automatic fix: time around the compiled call, or use `torch.cuda.Event`/the profiler."
    gb_codes = ("GB0007", "GB0156")
    verdict = "torch 2.13: breaks in every mode."
    VALID = [
        Valid(
            """
            import time

            import torch

            @torch.compile
            def step(x):
                return x * 2

            def timed_step(x):
                start = time.perf_counter()
                y = step(x)
                return y, time.perf_counter() - start
            """,
            target="step, (torch.ones(2),)",
        ),
        Valid(
            """
            import torch

            class Clock(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.time = torch.nn.Linear(2, 2)

                def forward(self, x):
                    return self.time(x)
            """,
            target="Clock(), (torch.ones(2),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import time

            import torch

            @torch.compile
            def step(x):
                start = time.perf_counter()
                return x * 2, start
            """,
            line=7,
            target="step, (torch.ones(2),)",
        ),
        Invalid(
            """
            import torch
            from time import time as now

            class Stamp(torch.nn.Module):
                def forward(self, x):
                    t = now()
                    return x + 1, t
            """,
            line=6,
            target="Stamp(), (torch.ones(2),)",
        ),
    ]
