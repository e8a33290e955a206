from compile_audit.rule import CallRule, Invalid, Valid


class PythonRandom(CallRule):
    code = "CA115"
    name = "python-random"
    severity = "error"
    PREFIXES = ("random.", "numpy.random.")
    message = "`{name}()` draws from Python's or NumPy's global RNG: Dynamo cannot trace it and breaks the graph"
    what = "Flags calls into `random` and `numpy.random` inside compiled code."
    why = (
        "The `random` module is C code with hidden global state: Dynamo breaks the graph on it "
        "(GB0007). `numpy.random` draws produce data-dependent values (GB0033, or a failed guard "
        "under `fullgraph=True`). Either way the draw happens once at trace time if it were "
        "captured, so it could not be correct in a graph. Use torch's RNG, which compiles."
    )
    fix_safety = "No automatic fix: use `torch.rand`/`torch.randint` (with a `torch.Generator` if needed)."
    gb_codes = ("GB0007", "GB0033")
    verdict = "torch 2.13: breaks in every mode."
    VALID = [
        Valid(
            """
            import torch

            @torch.compile
            def noisy(x):
                return x + torch.rand_like(x)
            """,
            target="noisy, (torch.ones(3),)",
        ),
        Valid(
            """
            import random

            import torch

            class Drop(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.p = random.random()

                def forward(self, x):
                    return x * self.p
            """,
            target="Drop(), (torch.ones(3),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import random

            import torch

            @torch.compile
            def noisy(x):
                return x * random.random()
            """,
            line=7,
            target="noisy, (torch.ones(3),)",
        ),
        Invalid(
            """
            import numpy as np
            import torch

            class Jitter(torch.nn.Module):
                def forward(self, x):
                    scale = np.random.rand()
                    return x * scale
            """,
            line=6,
            target="Jitter(), (torch.ones(3),)",
        ),
    ]
