from typing import Optional

import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid
from compile_audit.analysis.held import self_assignments
from compile_audit.analysis.walk import children

GENERATOR_CLASSES = frozenset({"torch.Generator", "torch._C.Generator"})
#: tensor methods that take ``generator=`` (``random_`` is left out: Dynamo refuses
#: ``Tensor.random_`` with or without a generator, GB0107)
RANDOM_METHODS = frozenset(
    {
        "normal_", "uniform_", "bernoulli", "bernoulli_", "exponential_", "geometric_", "cauchy_",
        "log_normal_", "multinomial",
    }
)


class GeneratorArgument(Rule):
    code = "CA136"
    name = "generator-argument"
    severity = "error"
    message = (
        "`{name}(..., generator={generator})` in compiled code: Dynamo cannot pass a `torch.Generator` "
        "to an op in the graph and breaks the graph (GB0055)"
    )
    what = (
        "Flags random ops (`torch.randn`, `torch.rand`, `torch.randint`, `torch.randperm`, "
        "`torch.bernoulli`, `torch.multinomial`, `torch.normal`, `torch.nn.init.*`, `t.normal_()`, "
        "`t.uniform_()`, ...) called inside compiled code with `generator=` a `torch.Generator`: an "
        "attribute every assignment of which builds one (`self.gen = torch.Generator().manual_seed(s)`), "
        "a module-level generator, `torch.default_generator`, or a required parameter annotated "
        "`torch.Generator` (or unannotated and named like one: `generator`, `gen`, `rng`)."
    )
    why = (
        "Dynamo holds a `torch.Generator` as an opaque Python object that it cannot turn into a graph "
        "input: every op given one fails to build its graph node ('Failed to convert args/kwargs to "
        "proxy', GB0055), in both modes. `generator=None` (the global generator) compiles."
    )
    fix_safety = (
        "No automatic fix: seed the global RNG outside the compiled region (`torch.manual_seed`), or "
        "draw the random tensor outside it and pass it in."
    )
    gb_codes = ("GB0055",)
    verdict = (
        "Every op given a `torch.Generator` breaks in both modes (GB0055), whatever the generator; "
        "`generator=None` compiles. A parameter left at a `None` default is not flagged (callers "
        "usually leave it None), nor is a generator created in compiled code (that breaks earlier, "
        "where it is created)."
    )
    VALID = [
        Valid(
            """
            import torch

            class NoisyEmbedding(torch.nn.Module):
                def __init__(self, dim: int = 8):
                    super().__init__()
                    self.emb = torch.nn.Linear(dim, dim)

                def forward(self, x, generator=None):
                    h = self.emb(x)
                    noise = torch.randn(h.shape, generator=generator)
                    return h + 0.1 * noise
            """,
            target="NoisyEmbedding(), (torch.randn(2, 8),)",
        ),
        Valid(
            """
            import torch

            @torch.compile
            def add_noise(x):
                keep = torch.bernoulli(torch.full_like(x, 0.9), generator=None)
                return x * keep
            """,
            target="add_noise, (torch.randn(2, 8),)",
        ),
        Valid(
            """
            import torch

            class Sampler(torch.nn.Module):
                def __init__(self, seed: int = 0):
                    super().__init__()
                    self.gen = torch.Generator().manual_seed(seed)

                def reset(self, seed: int):
                    self.gen.manual_seed(seed)  # eager: not called from forward

                def forward(self, probs):
                    return torch.multinomial(probs, 1)
            """,
            target="Sampler(), (torch.rand(2, 5),)",
        ),
        Valid(
            """
            import torch

            class SeededDropout(torch.nn.Module):
                def __init__(self, p: float = 0.1):
                    super().__init__()
                    self.p = p
                    self.generator = None  # set by callers that want reproducible masks

                def forward(self, x):
                    keep = torch.bernoulli(torch.full_like(x, 1 - self.p), generator=self.generator)
                    return x * keep / (1 - self.p)
            """,
            target="SeededDropout(), (torch.randn(2, 8),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            class NoisyEmbedding(torch.nn.Module):
                def __init__(self, dim: int = 8, seed: int = 0):
                    super().__init__()
                    self.emb = torch.nn.Linear(dim, dim)
                    self.gen = torch.Generator().manual_seed(seed)

                def forward(self, x):
                    h = self.emb(x)
                    noise = torch.randn(h.shape, generator=self.gen)
                    return h + 0.1 * noise
            """,
            line=11,
            target="NoisyEmbedding(), (torch.randn(2, 8),)",
        ),
        Invalid(
            """
            import torch

            def add_noise(x, generator):
                keep = torch.bernoulli(torch.full_like(x, 0.9), generator=generator)
                return x * keep

            compiled_noise = torch.compile(add_noise)
            """,
            line=4,
            target="add_noise, (torch.randn(2, 8), torch.Generator().manual_seed(1))",
        ),
        Invalid(
            """
            import torch

            RNG = torch.Generator().manual_seed(1234)

            @torch.compile
            def jitter(x):
                noise = torch.empty_like(x).normal_(0.0, 0.01, generator=RNG)
                return x + noise
            """,
            line=7,
            target="jitter, (torch.randn(4),)",
        ),
        Invalid(
            """
            import torch

            class Sampler(torch.nn.Module):
                def forward(self, probs: torch.Tensor, gen: torch.Generator):
                    return torch.multinomial(probs, 1, generator=gen)
            """,
            line=5,
            target="Sampler(), (torch.rand(2, 5), torch.Generator().manual_seed(0))",
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        generator = next((a.value for a in node.args if a.keyword is not None and a.keyword.value == "generator"), None)
        if generator is None or not self._random_op(node):
            return
        if self._is_generator(generator):
            self.report(node, name=self.source(node.func), generator=self.source(generator))

    # -- the op ----------------------------------------------------------------------------
    def _random_op(self, node: cst.Call) -> bool:
        qualified = self.qualified_name(node.func)
        if qualified is not None:
            if qualified.startswith("torch.nn.init."):
                return True
            return qualified.startswith("torch.") and qualified.count(".") == 1 and qualified[6:7].islower()
        return isinstance(node.func, cst.Attribute) and node.func.attr.value in RANDOM_METHODS

    # -- the generator ---------------------------------------------------------------------
    def _is_generator(self, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name) and expr.value.value == "self":
            return self._generator_attribute(expr.attr.value)
        func = self.context.current_function
        if isinstance(expr, cst.Name) and func is not None:
            name = expr.value
            if name in func.assigned:
                return False
            param = self._parameter(name)
            if param is not None:
                return self._generator_parameter(param, expr)
            if func.parent is not None or name in func.nested:
                return False
            values = self.context.scope.module_assignments(name)
            return bool(values) and all(self._construction(v) for v in values)
        return self.qualified_name(expr) == "torch.default_generator"

    def _construction(self, expr: Optional[cst.BaseExpression]) -> bool:
        """``torch.Generator(...)``, possibly ``.manual_seed(...)``-ed (which returns it)."""
        if not isinstance(expr, cst.Call):
            return False
        if isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "manual_seed":
            return self._construction(expr.func.value)
        return self.qualified_name(expr.func) in GENERATOR_CLASSES

    def _parameter(self, name: str) -> Optional[cst.Param]:
        func = self.context.current_function
        params = func.node.params
        for param in [*params.posonly_params, *params.params, *params.kwonly_params]:
            if param.name.value == name:
                return param
        return None

    def _generator_parameter(self, param: cst.Param, expr: cst.Name) -> bool:
        """A required parameter that holds a Generator: annotated so, or unannotated and named
        like one, never compared with None, and passed no None by the compiled callers."""
        if param.default is not None:
            return False
        name = param.name.value
        if param.annotation is not None:
            annotation = param.annotation.annotation
            if self.qualified_name(annotation) not in GENERATOR_CLASSES:
                return False
        elif not ("generator" in name.lower() or name.lower() in ("gen", "rng", "g_cpu", "g_cuda")
                  or name.lower().endswith(("_gen", "_rng"))):
            return False
        if self.context.value(expr).kind == "none":
            return False
        return not _compared_with_none(self.context.current_function.node.body, name)

    def _generator_attribute(self, attr: str) -> bool:
        func = self.context.current_function
        cls = (func.cls or self.context.scope.enclosing_class(func)) if func is not None else None
        if cls is None:
            return False
        values = self_assignments(self.context.scope, cls, attr)
        return bool(values) and all(self._construction(v) for v in values)


def _compared_with_none(body: cst.CSTNode, name: str) -> bool:
    stack = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Comparison) and any(
            isinstance(c.comparator, cst.Name) and c.comparator.value == "None" for c in node.comparisons
        ) and isinstance(node.left, cst.Name) and node.left.value == name:
            return True
        stack.extend(children(node))
    return False
