from typing import Optional

import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid
from compile_audit.analysis.held import bindings, held_values

#: how a mutable builtin container is made -> its type
DISPLAYS = {cst.List: "list", cst.ListComp: "list", cst.Dict: "dict", cst.DictComp: "dict", cst.Set: "set", cst.SetComp: "set"}
CONSTRUCTORS = {"builtins.list": "list", "builtins.dict": "dict", "builtins.set": "set"}
ANNOTATIONS = {
    "builtins.list": "list", "typing.List": "list", "builtins.dict": "dict", "typing.Dict": "dict",
    "builtins.set": "set", "typing.Set": "set",
}


class ShallowCopy(Rule):
    code = "CA132"
    name = "shallow-copy"
    severity = "error"
    message = "`copy.copy()` in compiled code: Dynamo does not trace it and breaks the graph"
    what = (
        "Flags `copy.copy(x)` inside compiled code when `x` is a list, dict or set (a display, a "
        "`list()`/`dict()`/`set()` call, a name or `self.attr` only ever assigned one, a parameter "
        "annotated as one), a module, or a tensor."
    )
    why = (
        "`copy.copy` dispatches to the container's C method (`list.copy`, `dict.copy`, "
        "`set.copy`), which Dynamo marks as skipped (GB0007); for a module it reaches "
        "`__reduce_ex__` machinery Dynamo refuses to inline (GB0008); for a tensor it rebuilds "
        "the tensor through a torch function that returns no tensor to Dynamo (GB0208). Copying "
        "a tuple, a string, a number or a plain Python object compiles."
    )
    fix_safety = (
        "No automatic fix: `list(x)`, `dict(x)`, `set(x)` or `x.copy()` make the same shallow "
        "copy and compile; copy a module outside compiled code; for a tensor, use it directly, "
        "`t.view_as(t)` (a new alias of the same storage, which is what `copy.copy` gives) or "
        "`t.clone()`."
    )
    gb_codes = ("GB0007", "GB0008", "GB0208")
    verdict = (
        "torch 2.13 and 2.14.1: breaks in every mode: lists, dicts and sets GB0007, modules GB0008, "
        "tensors GB0208. `copy.copy` of a tuple, a number or a user-defined object, and "
        "`list(x)`/`dict(x)`/`x.copy()`, compile."
    )
    VALID = [
        Valid(
            """
            import torch
            from torch import nn


            class CachedBlock(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.fc = nn.Linear(8, 8)
                    self.cache = {"scale": torch.ones(8)}

                def forward(self, x):
                    state = dict(self.cache)
                    state["out"] = self.fc(x) * state["scale"]
                    return state["out"]
            """,
            target="CachedBlock(), (torch.randn(2, 8),)",
        ),
        Valid(
            """
            import copy
            import dataclasses

            import torch


            @dataclasses.dataclass
            class Config:
                scale: float = 2.0


            CONFIG = Config()
            SIZES = (1, 2)


            @torch.compile
            def step(x):
                config = copy.copy(CONFIG)  # a plain Python object: Dynamo traces the copy
                sizes = copy.copy(SIZES)  # a tuple is returned as is
                return x * config.scale * len(sizes)
            """,
            target="step, (torch.ones(2),)",
        ),
        Valid(
            """
            import copy

            import torch


            def shuffle_views(views):
                order = copy.copy(views)
                order.reverse()
                return order


            @torch.compile
            def merge(views):
                return torch.cat(views, dim=0)


            def train(views):
                return merge(shuffle_views(views))  # the copy runs eagerly, before the compiled call
            """,
            target="merge, ([torch.randn(1, 4), torch.randn(2, 4)],)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import copy

            import torch
            from torch import nn


            class CachedBlock(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.fc = nn.Linear(8, 8)
                    self.cache = {"scale": torch.ones(8)}

                def forward(self, x):
                    state = copy.copy(self.cache)
                    state["out"] = self.fc(x) * state["scale"]
                    return state["out"]
            """,
            line=14,
            target="CachedBlock(), (torch.randn(2, 8),)",
        ),
        Invalid(
            """
            from copy import copy

            import torch


            @torch.compile
            def shuffle(views: list[torch.Tensor]):
                order = copy(views)
                order.reverse()
                return torch.cat(order, dim=0)
            """,
            line=8,
            target="shuffle, ([torch.randn(1, 4), torch.randn(2, 4)],)",
        ),
        Invalid(
            """
            import copy

            import torch
            from torch import nn


            class Frozen(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.body = nn.Linear(4, 4)

                def forward(self, x):
                    body = copy.copy(self.body)
                    return body(x)
            """,
            line=13,
            target="Frozen(), (torch.randn(2, 4),)",
        ),
        Invalid(
            """
            import copy

            import torch


            @torch.compile
            def step(x):
                h = torch.relu(x)
                alias = copy.copy(h)
                return alias + 1
            """,
            line=9,
            target="step, (torch.ones(2),)",
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        if self.qualified_name(node.func) != "copy.copy" or len(node.args) != 1 or node.args[0].keyword is not None:
            return
        arg = node.args[0].value
        name = self.source(node.func)
        text = self.source(arg)
        kind = self._container(arg)
        if kind is not None:
            self.report(
                node,
                f"`{name}({text})` of a {kind} in compiled code: Dynamo does not trace the copy "
                f"(`{kind}.copy` is skipped) and breaks the graph (GB0007); use `{kind}({text})` or `{text}.copy()`",
            )
            return
        value = self.context.value(arg)
        if value.kind == "module":
            self.report(
                node,
                f"`{name}({text})` of a module in compiled code: Dynamo does not trace copying a "
                f"module and breaks the graph (GB0008); copy it outside compiled code",
            )
        elif value.is_tensor and value.assumed:
            self.report(
                node,
                f"`{name}({text})` in compiled code: Dynamo breaks the graph on `copy.copy` of a "
                f"tensor (GB0208) and of a list, dict or set (GB0007); copy it with `list(...)`, "
                f"`dict(...)` or `.view_as()`/`.clone()` for a tensor",
                evidence=value,
            )
        elif value.is_tensor:
            self.report(
                node,
                f"`{name}({text})` of a tensor in compiled code: Dynamo does not trace it and "
                f"breaks the graph (GB0208); use `{text}` itself, `{text}.view_as({text})` or `{text}.clone()`",
                evidence=value,
            )

    def _container(self, expr: cst.BaseExpression) -> Optional[str]:
        """"list", "dict" or "set" when ``expr`` certainly holds one."""
        kind = self._made(expr)
        if kind is not None:
            return kind
        annotated = self._annotated(expr)
        if annotated is not None:
            return annotated
        kinds = {self._made(v) for v in held_values(self.context, expr)}
        if len(kinds) == 1:
            return kinds.pop()
        return None

    def _made(self, expr: cst.BaseExpression) -> Optional[str]:
        kind = DISPLAYS.get(type(expr))
        if kind is None and isinstance(expr, cst.Call):
            kind = CONSTRUCTORS.get(self.qualified_name(expr.func) or "")
        return kind

    def _annotated(self, expr: cst.BaseExpression) -> Optional[str]:
        """The container type of a parameter annotated ``list[...]``, ``Dict[...]``, ``set``..."""
        func = self.context.current_function
        if not isinstance(expr, cst.Name) or func is None:
            return None
        params = func.node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            if param.name.value == expr.value and param.annotation is not None:
                if bindings(func.node.body, expr.value)[0] is not None:
                    return None  # rebound in the body
                annotation = param.annotation.annotation
                if isinstance(annotation, cst.Subscript):
                    annotation = annotation.value
                return ANNOTATIONS.get(self.qualified_name(annotation) or "")
        return None
