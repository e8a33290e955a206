import libcst as cst

from compile_audit.rule import Invalid, Rule, Valid


class DeepcopyTensor(Rule):
    code = "CA119"
    name = "deepcopy-tensor"
    severity = "error"
    message = "`copy.deepcopy` of a tensor in compiled code: Dynamo refuses it and breaks the graph (GB4198); use `.clone()`"
    what = "Flags `copy.deepcopy(t)` (and `copy.copy(t)`) of a tensor value inside compiled code."
    why = (
        "`deepcopy` walks Python object internals and the tensor's storage through a memo dict: "
        "Dynamo does not trace it (GB4198). `t.clone()` (or `t.detach().clone()`) is the traced "
        "equivalent."
    )
    fix_safety = "No automatic fix yet: `clone()` differs from `deepcopy` for tensors with `requires_grad`."
    gb_codes = ("GB4198",)
    verdict = "torch 2.13: breaks in every mode (GB4198); `deepcopy` of a plain dict compiles."
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
    ]

    def visit_Call(self, node: cst.Call) -> None:
        if self.qualified_name(node.func) in ("copy.deepcopy", "copy.copy") and node.args:
            if self.tensor(node.args[0].value):
                self.report(node)
