import libcst as cst

from compile_audit.lint.rule import CallRule, Invalid, Valid

#: functions of ``random`` Dynamo cannot trace, with the releases where that holds (None: every
#: release the rule applies to). ``randint``, ``uniform``, ``randrange`` and ``random.Random(seed)``
#: instances compile on 2.13 and 2.14; ``random``, ``seed``, ``shuffle`` and ``sample`` compile
#: from 2.14 on (each measured under ``fullgraph=True``).
UNTRACED_RANDOM = {
    "random": "<2.14", "seed": "<2.14", "shuffle": "<2.14", "sample": "<2.14",
    **{name: None for name in (
        "choice", "choices", "gauss", "getrandbits", "normalvariate", "lognormvariate", "betavariate",
        "expovariate", "triangular", "vonmisesvariate", "gammavariate", "paretovariate", "weibullvariate",
        "randbytes", "getstate", "setstate",
    )},
}
#: ``numpy.random`` functions that do not draw (``seed`` compiles)
NUMPY_NO_DRAW = frozenset({"numpy.random.seed"})
#: a call of each function in the tables, as an expression with a number's value (for the examples)
CALLS = {
    "random": "random.random()", "seed": "random.seed(0) or 1.0", "shuffle": "random.shuffle([1, 2]) or 1.0",
    "sample": "random.sample([1, 2, 3], 1)[0]", "choice": "random.choice([1, 2])",
    "choices": "random.choices([1, 2])[0]", "gauss": "random.gauss(0, 1)", "getrandbits": "random.getrandbits(3)",
    "normalvariate": "random.normalvariate(0, 1)", "lognormvariate": "random.lognormvariate(0, 1)",
    "betavariate": "random.betavariate(1, 1)", "expovariate": "random.expovariate(1)",
    "triangular": "random.triangular()", "vonmisesvariate": "random.vonmisesvariate(0, 1)",
    "gammavariate": "random.gammavariate(1, 1)", "paretovariate": "random.paretovariate(1)",
    "weibullvariate": "random.weibullvariate(1, 1)", "randbytes": "len(random.randbytes(2))",
    "getstate": "len(random.getstate())", "setstate": "random.setstate(random.getstate()) or 1.0",
    "randint": "random.randint(1, 5)", "uniform": "random.uniform(0, 1)", "randrange": "random.randrange(4)",
    "numpy.random.seed": "np.random.seed(0) or 1.0",
}


def _table_example(name: str, valid: bool, spec=None):
    """One example per table entry, so that the proofs hold the whole table to each release."""
    code = f"""
        import random

        import numpy as np
        import torch

        @torch.compile
        def draw(x):
            return x * ({CALLS[name]})
        """
    if valid:
        return Valid(code, target="draw, (torch.ones(3),)")
    return Invalid(code, line=8, target="draw, (torch.ones(3),)", torch=spec)


class PythonRandom(CallRule):
    code = "CA115"
    name = "python-random"
    severity = "error"
    PREFIXES = ("numpy.random.",)
    message = "`{name}()` draws from Python's or NumPy's global RNG: Dynamo cannot trace it and breaks the graph"
    what = (
        "Flags draws from Python's `random` module that Dynamo cannot trace on the torch release the "
        "findings are for, and draws from `numpy.random`, inside compiled code."
    )
    why = (
        "The `random` module is C code with hidden global state: Dynamo breaks the graph on it "
        "(GB0007). `numpy.random` draws produce data-dependent values (GB0033, or a failed guard "
        "under `fullgraph=True`). Either way the draw happens once at trace time if it were "
        "captured, so it could not be correct in a graph. Use torch's RNG, which compiles."
    )
    fix_safety = "No automatic fix: use `torch.rand`/`torch.randint` (with a `torch.Generator` if needed)."
    gb_codes = ("GB0007", "GB0033")
    verdict = (
        "Draws from `numpy.random` and most `random` functions (`choice`, `gauss`, `getrandbits`, ...) "
        "break in both modes. `random.randint`, `random.uniform` and `random.randrange` compile; "
        "`random.random`, `random.seed`, `random.shuffle` and `random.sample` break up to torch 2.13 and "
        "compile from 2.14 on, so the rule flags them only for releases before 2.14."
    )
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
    VALID += [
        Valid(
            """
            import random

            import torch

            @torch.compile
            def noisy(x):
                return x * random.randint(1, 5)
            """,
            target="noisy, (torch.ones(3),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import random

            import torch

            @torch.compile
            def pick(x):
                return x * random.choice([0.5, 1.0, 2.0])
            """,
            line=7,
            target="pick, (torch.ones(3),)",
        ),
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
            torch="<2.14",
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

    def matches(self, qualified: str, node: cst.Call) -> bool:
        if qualified.startswith("random."):
            name = qualified[len("random."):]
            if name not in UNTRACED_RANDOM:
                return False
            spec = UNTRACED_RANDOM[name]
            return spec is None or self.on_torch(spec)
        if qualified in NUMPY_NO_DRAW or _numpy_array_draw(qualified, node):
            return False
        return super().matches(qualified, node)


def _numpy_array_draw(qualified: str, node: cst.Call) -> bool:
    """``np.random.rand(3)``, ``np.random.normal(size=(2, 3))``: a draw of an array, which Dynamo
    traces through ``torch._numpy`` (a scalar draw, ``np.random.rand()``, breaks where it is
    used as a Python number; ``choice`` breaks either way)."""
    name = qualified.rsplit(".", 1)[-1]
    if not qualified.startswith("numpy.random.") or name in ("choice", "shuffle", "permutation"):
        return False
    if name in ("rand", "randn", "random", "random_sample") and any(a.keyword is None for a in node.args):
        return True
    return any(a.keyword is not None and a.keyword.value == "size" for a in node.args)


PythonRandom.VALID += [_table_example(name, True) for name in ("uniform", "randrange", "numpy.random.seed")]
PythonRandom.VALID.append(Valid(
    """
    import numpy as np
    import torch

    class SpecAugment(torch.nn.Module):
        def forward(self, x):
            noise = torch.from_numpy(np.random.rand(3)).float() + torch.as_tensor(np.random.normal(size=3)).float()
            return x + noise
    """,
    target="SpecAugment(), (torch.ones(3),)",
))
PythonRandom.INVALID += [_table_example(name, False, spec) for name, spec in UNTRACED_RANDOM.items()
                         if name not in ("random", "choice") and name in CALLS]
