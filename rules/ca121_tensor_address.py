import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid


class TensorAddress(Rule):
    code = "CA121"
    name = "tensor-address"
    severity = "error"
    message = "{what} in compiled code: tensors in a graph have no fixed address, so Dynamo breaks the graph ({gb})"
    what = (
        "Flags `hash(t)`, `t.data_ptr()` and `t.untyped_storage().data_ptr()` on tensor values "
        "inside compiled code (`id(t)` is a recompilation hazard, CA302)."
    )
    why = (
        "While tracing, tensors are fake: they have no storage and no address. `hash` of a tensor "
        "and arithmetic on `data_ptr()` raise inside Dynamo (GB0088, 'Observed exception'), and "
        "comparing data pointers is refused outright (GB5976)."
    )
    fix_safety = "No automatic fix: decide aliasing outside compiled code, or compare shapes/strides."
    gb_codes = ("GB0088", "GB5976")
    verdict = (
        "`data_ptr()` breaks in both modes when its value is used (an unused one is deferred). `hash(t)` "
        "breaks at the call up to torch 2.13; from 2.14 Dynamo traces the call itself (a test of it "
        "compiles) and a break, if any, comes later, where the value meets a tensor: the rule flags "
        "`hash(t)` only for releases before 2.14 and leaves the rest to `--confirm`."
    )
    VALID = [
        Valid(
            """
            import torch

            @torch.compile
            def same_layout(x, y):
                ok = x.shape == y.shape and x.stride() == y.stride()
                return x + y if ok else x
            """,
            target="same_layout, (torch.ones(3), torch.ones(3))",
        ),
        Valid(
            """
            import torch

            class Net(torch.nn.Module):
                def forward(self, x):
                    key = hash(("net", x.dim()))
                    return x + (key % 2)
            """,
            target="Net(), (torch.ones(3),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            @torch.compile
            def aliased(x, y):
                same = x.data_ptr() == y.data_ptr()
                return x + same
            """,
            line=5,
            target="aliased, (torch.ones(3), torch.ones(3))",
        ),
        Invalid(
            """
            import torch

            class Bucket(torch.nn.Module):
                def forward(self, x):
                    if hash(x) % 2:
                        return x
                    return x + 1
            """,
            line=5,
            target="Bucket(), (torch.ones(3),)",
            torch="<2.14",
        ),
    ]

    INVALID += [
        Invalid(
            """
            import torch

            class Offset(torch.nn.Module):
                def forward(self, x):
                    addr = x.data_ptr() % 64
                    return x + addr
            """,
            line=5,
            target="Offset(), (torch.ones(3),)",
        ),
        Invalid(
            """
            import torch

            class Shared(torch.nn.Module):
                def forward(self, x, y):
                    if x.untyped_storage().data_ptr() == y.untyped_storage().data_ptr():
                        return x
                    return x + y
            """,
            line=5,
            target="Shared(), (torch.ones(3), torch.ones(3))",
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (self.qualified_name(func) == "builtins.hash" and node.args and self.on_torch("<2.14")
                and self.tensor(node.args[0].value)):
            self.report(node, what="`hash()` of a tensor", gb="GB0088")
        elif isinstance(func, cst.Attribute) and func.attr.value == "data_ptr" and not node.args:
            receiver = func.value
            if (
                isinstance(receiver, cst.Call)
                and isinstance(receiver.func, cst.Attribute)
                and receiver.func.attr.value in ("untyped_storage", "storage")
            ):
                receiver = receiver.func.value
            if self.tensor(receiver):
                self.report(node, what="`.data_ptr()`", gb="GB0088, GB5976")
