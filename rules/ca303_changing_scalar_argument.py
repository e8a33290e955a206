import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid


class ChangingScalarArgument(Rule):
    code = "CA303"
    name = "changing-scalar-argument"
    severity = "warning"
    scope = "module"
    requires_text = r"compile|optimize"  # a compiled entry or alias of the file
    proof = "recompile"
    message = (
        "`{callee}` is compiled and called with the loop variable `{var}`, a Python number that changes "
        "every iteration: Dynamo specialises on it, recompiles, and with `dynamic=False` does so every "
        "call up to the limit; pass it as a tensor"
    )
    what = (
        "Flags calls, inside a `for` loop, of a function this file compiles (decorated with "
        "`torch.compile` or assigned `torch.compile(fn)`) that pass the loop variable as an argument."
    )
    why = (
        "Python ints and floats are baked into the graph as constants and guarded. The second "
        "distinct value recompiles; by default Dynamo then makes the value symbolic (one extra "
        "compile), but with `dynamic=False`, or when the value feeds a shape or a Python branch, "
        "every new value recompiles until `recompile_limit` (8) and the frame falls back to eager."
    )
    fix_safety = "No automatic fix: wrap the value (`torch.tensor(step)`) or mark it dynamic."
    gb_codes = ()
    verdict = "torch 2.13: the second distinct value recompiles; more with `dynamic=False`."
    VALID = [
        Valid(
            """
            import torch

            @torch.compile
            def step(x):
                return x * 2

            def evaluate(loader):
                return [step(x) for x in loader] + [step(batch) for batch in loader]

            def run(loader):
                out = []
                for batch in loader:
                    out.append(step(batch))
                return out
            """,
        ),
        Valid(
            """
            import torch

            @torch.compile
            def decay(x, step):
                return x * 0.9 ** step

            def run(x):
                for step in range(3):
                    x = decay(x, torch.tensor(step))
                return x
            """,
            target="Target(decay, args=(torch.ones(3), torch.tensor(1)), recompile_args=(torch.ones(3), torch.tensor(2)))",
        ),
        Valid(
            """
            import torch

            @torch.compile
            def scale(x, factor: float):
                return x * factor

            def run(x):
                for _ in range(3):
                    x = scale(x, 0.5)
                return x
            """,
            target="Target(scale, args=(torch.ones(3), 0.5), recompile_args=(torch.ones(3), 0.5))",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            @torch.compile
            def decay(x, step: int):
                return x * 0.9 ** step

            def run(x):
                for step in range(3):
                    x = decay(x, step)
                return x
            """,
            line=9,
            target="Target(decay, args=(torch.ones(3), 1), recompile_args=(torch.ones(3), 2))",
        ),
        Invalid(
            """
            import torch

            def warmup(x, i):
                return x * min(1.0, i / 10)

            compiled_warmup = torch.compile(warmup, dynamic=False)

            def run(x):
                for i in range(1, 4):
                    x = compiled_warmup(x, i)
                return x
            """,
            line=10,
            target="Target(compiled_warmup, args=(torch.ones(3), 1), recompile_args=(torch.ones(3), 2))",
        ),
    ]

    def __init__(self, context) -> None:
        super().__init__(context)
        self._loop_vars: list[set[str]] = []

    def visit_For(self, node: cst.For) -> None:
        """The loop variables that take Python numbers: ``for i in range(...)``, the index of
        ``enumerate(...)``, ``for s in (0.5, 1.0)``. A batch from a loader is not one."""
        names = set()
        target, iterable = node.target, node.iter
        qn = self.qualified_name(iterable.func) if isinstance(iterable, cst.Call) else None
        if qn == "builtins.range" and isinstance(target, cst.Name):
            names.add(target.value)
        elif (qn == "builtins.enumerate" and isinstance(target, cst.Tuple) and target.elements
              and isinstance(target.elements[0].value, cst.Name)):
            names.add(target.elements[0].value.value)
        elif (isinstance(iterable, (cst.List, cst.Tuple)) and isinstance(target, cst.Name) and iterable.elements
              and all(isinstance(e.value, (cst.Integer, cst.Float)) for e in iterable.elements)):
            names.add(target.value)
        self._loop_vars.append(names)

    def leave_For(self, original_node: cst.For) -> None:
        self._loop_vars.pop()

    def _compiled_callee(self, func: cst.BaseExpression):
        if not isinstance(func, cst.Name):
            return None
        scope = self.context.scope
        info = scope.lookup_function(func.value, self.context.current_function)
        if info is not None and info.role == "entry" and info.compiled_reason and info.compiled_reason.startswith("decorated"):
            return func.value
        if func.value in scope.compiled_aliases:
            return func.value
        return None

    def visit_Call(self, node: cst.Call) -> None:
        if not self._loop_vars:
            return
        callee = self._compiled_callee(node.func)
        if callee is None:
            return
        loop_vars = set().union(*self._loop_vars)
        for arg in node.args:
            if isinstance(arg.value, cst.Name) and arg.value.value in loop_vars:
                self.report(node, callee=callee, var=arg.value.value)
                return
