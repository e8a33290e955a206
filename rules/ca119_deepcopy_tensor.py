from typing import Optional

import libcst as cst

from compile_audit.analysis.names import dotted_name
from compile_audit.lint.rule import Invalid, Rule, Valid
from compile_audit.analysis.definitions import ClassInfo

#: torch.nn layers that always hold parameters of their own (deepcopy reaches one first)
PARAM_LAYERS = frozenset(
    f"torch.nn.{name}"
    for name in (
        "Linear", "Bilinear", "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d",
        "ConvTranspose3d", "Embedding", "EmbeddingBag", "MultiheadAttention", "PReLU",
    )
)


class DeepcopyTensor(Rule):
    code = "CA119"
    name = "deepcopy-tensor"
    severity = "error"
    message = "`copy.deepcopy` of a tensor in compiled code: Dynamo refuses it and breaks the graph (GB4198); use `.clone()`"
    what = (
        "Flags `copy.deepcopy(x)` inside compiled code when `x` is a tensor, a list, tuple or dict "
        "holding tensors, or a module that holds parameters of its own (`self.layer` assigned an "
        "`nn.Linear`, a convolution, an embedding..., or an in-file module with an `nn.Parameter` "
        "or buffer). `copy.copy` is CA132's."
    )
    why = (
        "`deepcopy` walks Python object internals and the tensor's storage through a memo dict: "
        "Dynamo does not trace it and stops at the first tensor it reaches (GB4198), also a "
        "module's parameters. `t.clone()` (or `t.detach().clone()`) is the traced equivalent for "
        "a tensor; a module is copied outside compiled code (an EMA teacher in `__init__`)."
    )
    fix_safety = "No automatic fix: `clone()` differs from `deepcopy` for tensors with `requires_grad`."
    gb_codes = ("GB4198",)
    verdict = (
        "torch 2.13 and 2.14.1: breaks in every mode (GB4198), for tensors, containers of tensors "
        "and modules with parameters of their own; `deepcopy` of a plain dict compiles. (A module "
        "whose parameters are all in submodules, or `nn.Sequential`/`nn.ModuleList`, also breaks, "
        "with GB0116 on torch 2.14.1: not flagged.)"
    )
    VALID = [
        Valid(
            """
            import torch

            @torch.compile
            def snapshot(x):
                y = x.clone()
                return y + 1
            """,
            target="snapshot, (torch.ones(3),)",
        ),
        Valid(
            """
            import copy

            import torch

            class Net(torch.nn.Module):
                def forward(self, x, options: dict):
                    local = copy.deepcopy(options)
                    return x * local["scale"]
            """,
            target="Net(), (torch.ones(3), {'scale': 2.0})",
        ),
        Valid(
            """
            import copy

            import torch
            from torch import nn


            class EMATeacher(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.student = nn.Linear(8, 8)
                    self.teacher = copy.deepcopy(self.student)  # once, eagerly

                def forward(self, x):
                    return self.student(x), self.teacher(x).detach()
            """,
            target="EMATeacher(), (torch.randn(2, 8),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import copy

            import torch

            @torch.compile
            def snapshot(x):
                y = copy.deepcopy(x)
                return y + 1
            """,
            line=7,
            target="snapshot, (torch.ones(3),)",
        ),
        Invalid(
            """
            import torch
            from copy import deepcopy

            class Net(torch.nn.Module):
                def forward(self, x):
                    h = torch.relu(x)
                    kept = deepcopy(h)
                    return kept * 2
            """,
            line=7,
            target="Net(), (torch.ones(3),)",
        ),
        Invalid(
            """
            import copy

            import torch
            from torch import nn


            class EMATeacher(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.student = nn.Linear(8, 8)

                def forward(self, x):
                    teacher = copy.deepcopy(self.student)
                    return self.student(x), teacher(x).detach()
            """,
            line=13,
            target="EMATeacher(), (torch.randn(2, 8),)",
        ),
        Invalid(
            """
            import copy

            import torch
            from torch import nn


            class Scale(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.gain = nn.Parameter(torch.ones(4))

                def forward(self, x):
                    return x * self.gain


            class Net(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.scale = Scale()

                def forward(self, x):
                    frozen = copy.deepcopy(self.scale)
                    return frozen(x)
            """,
            line=22,
            target="Net(), (torch.randn(2, 4),)",
        ),
        Invalid(
            """
            import copy

            import torch


            @torch.compile
            def step(x):
                state = {"h": torch.relu(x), "gate": x.sigmoid()}
                saved = copy.deepcopy(state)
                return saved["h"] + 1
            """,
            line=9,
            target="step, (torch.ones(3),)",
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        if self.qualified_name(node.func) != "copy.deepcopy" or not node.args:
            return
        arg = node.args[0].value
        if self.tensor(arg):
            self.report(node)
            return
        value = self.context.value(arg)
        if value.kind == "module" and self._holds_parameters(value.layer):
            self.report(
                node,
                f"`copy.deepcopy({self.source(arg)})` of a module in compiled code: the copy reaches its "
                f"parameters, Dynamo refuses it and breaks the graph (GB4198); copy the module outside "
                f"compiled code",
            )
        elif value.kind == "container":
            held = _tensor_in(value)
            if held is not None:
                self.report(
                    node,
                    f"`copy.deepcopy({self.source(arg)})` of a container holding tensors in compiled code: "
                    f"Dynamo refuses it and breaks the graph (GB4198); clone the tensors instead",
                    evidence=held,
                )

    def _holds_parameters(self, layer: object) -> bool:
        """Whether a module holds parameters (or buffers) of its own, not only in submodules."""
        if isinstance(layer, str):
            # torch.nn.modules.linear.Linear is torch.nn.Linear
            return layer.startswith("torch.nn.") and "torch.nn." + layer.rsplit(".", 1)[1] in PARAM_LAYERS
        if not isinstance(layer, ClassInfo):
            return False
        seen: set = set()
        stack = [layer]
        while stack:
            current = stack.pop()
            if id(current) in seen:
                continue
            seen.add(id(current))
            if any(kind == "tensor" and detail in ("a Parameter", "a buffer")
                   for kind, detail in current.attr_values.values()):
                return True
            for base in current.base_exprs:
                name = dotted_name(base)
                if name in self.context.scope.classes:
                    stack.append(self.context.scope.classes[name])
        return False


def _tensor_in(value) -> Optional[object]:
    """The tensor value a container holds (its elements, or one of its fixed items)."""
    for item in (value.elem, *(value.items or ())):
        if item is not None and item.is_tensor:
            return item
    return None
