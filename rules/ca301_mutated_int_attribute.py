import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid
from compile_audit.analysis.walk import descendants


class MutatedIntAttribute(Rule):
    code = "CA301"
    name = "mutated-int-attribute"
    severity = "warning"
    proof = "recompile"
    message = (
        "`self.{attr}` is changed in compiled code: Dynamo guards on integer module attributes, so every "
        "call recompiles until the limit (8), then falls back to eager; keep counters in a tensor buffer"
    )
    what = (
        "Flags `self.attr += ...` and `self.attr = self.attr ...` in compiled code when `attr` "
        "holds a Python number (the class assigns it a number literal or `int(...)`/`float(...)` "
        "somewhere, and never a tensor): a counter, step, or phase kept on the module."
    )
    why = (
        "Dynamo treats int attributes of an `nn.Module` as constants and installs a guard "
        "`self.attr == N`. Changing the value in `forward` fails that guard on the next call: "
        "Dynamo recompiles, every call, until `recompile_limit` is hit; then `fullgraph=True` "
        "raises and the default mode silently runs the frame eagerly. The guard text names the "
        "attribute (hint: `torch._dynamo.config.allow_unspec_int_on_nn_module`)."
    )
    fix_safety = "No automatic fix: use a tensor buffer (`self.register_buffer('step', torch.zeros((), dtype=torch.long))`) and `self.step += 1`."
    gb_codes = ()
    verdict = "torch 2.13: no graph break, but a recompilation on every call (the guard `self.attr == N` fails)."
    VALID = [
        Valid(
            """
            import torch

            class Counter(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.register_buffer("calls", torch.zeros((), dtype=torch.long))

                def forward(self, x):
                    self.calls += 1
                    return x + self.calls
            """,
            target="Target(Counter(), args=(torch.ones(3),), recompile_args=(torch.ones(3),))",
        ),
        Valid(
            """
            import torch

            class Scaled(torch.nn.Module):
                def __init__(self, scale: int = 2):
                    super().__init__()
                    self.scale = scale

                def forward(self, x):
                    return x * self.scale
            """,
            target="Target(Scaled(), args=(torch.ones(3),), recompile_args=(torch.ones(3),))",
        ),
    ]
    VALID.append(
        Valid(
            """
            import torch

            class Cached(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.table = torch.zeros(4)

                def forward(self, x):
                    self.table = self.table.to(x.dtype)
                    return x + self.table
            """,
            target="Target(Cached(), args=(torch.ones(4),), recompile_args=(torch.ones(4),))",
        )
    )
    INVALID = [
        Invalid(
            """
            import torch

            class Counter(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.calls = 0

                def forward(self, x):
                    self.calls += 1
                    return x + self.calls
            """,
            line=9,
            target="Target(Counter(), args=(torch.ones(3),), recompile_args=(torch.ones(3),))",
        ),
        Invalid(
            """
            import torch

            class Cycle(torch.nn.Module):
                def __init__(self, period: int = 4):
                    super().__init__()
                    self.period = int(period)
                    self.phase = 0

                def forward(self, x):
                    self.phase = (self.phase + 1) % self.period
                    return x * self.phase
            """,
            line=10,
            target="Target(Cycle(), args=(torch.ones(3),), recompile_args=(torch.ones(3),))",
        ),
    ]

    def _self_attr(self, node: cst.BaseExpression):
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self":
            return node.attr.value
        return None

    def _non_tensor(self, attr: str) -> bool:
        """A Python number attribute: assigned a number somewhere in the class, never a tensor."""
        func = self.context.current_function
        cls = None if func is None else (func.cls or self.context.scope.enclosing_class(func))
        return cls is not None and attr in cls.number_attrs and attr not in cls.tensor_attrs and attr not in cls.layer_attrs

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        attr = self._self_attr(node.target)
        if attr and self._non_tensor(attr) and not self.context.is_tensor(node.value):
            self.report(node, attr=attr)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            attr = self._self_attr(target.target)
            if attr and self._non_tensor(attr) and not self.context.is_tensor(node.value):
                uses_itself = any(self._self_attr(n) == attr for n in descendants(node.value))
                if uses_itself:
                    self.report(node, attr=attr)

