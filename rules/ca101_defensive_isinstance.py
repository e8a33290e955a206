import libcst as cst

from compile_audit.lint.edits import Edit
from compile_audit.lint.rule import Invalid, Rule, Valid

CONTAINER_TYPES = frozenset(
    {"builtins.tuple", "builtins.list", "builtins.dict", "torch.Tensor", "builtins.int", "builtins.float"}
)
TUPLE_OPTIONS = ("return_lse", "return_aux")


def _type_names(context, expr: cst.BaseExpression) -> list[str]:
    if isinstance(expr, cst.Tuple):
        out = []
        for element in expr.elements:
            out.extend(_type_names(context, element.value))
        return out
    qn = context.qualified_name(expr)
    return [qn] if qn else []


class DefensiveIsinstance(Rule):
    code = "CA101"
    name = "defensive-isinstance"
    severity = "warning"
    message = (
        "`{check}` tests the result of `{producer}()`, which returns a Tensor here: dead defensive "
        "code. Dynamo may fold it at trace time (torch 2.13 does, without a graph break) or break "
        "on it; `--confirm` gives the verdict on your torch"
    )
    what = (
        "Flags an `isinstance(...)` or `type(...) is ...` check, inside compiled code, on a "
        "name that was just assigned the result of a call that returns a Tensor: a torch "
        "function, a tensor method, a layer of the module, or `flex_attention` without "
        "`return_lse`/`return_aux`."
    )
    why = (
        "The check can only ever take one branch, so the other branch is dead code that hides "
        "what the call returns. Whether Dynamo breaks the graph on it depends on the release "
        "and on what it knows about the value: torch 2.13 and 2.14 constant-fold `isinstance` on "
        "a traced tensor; a release that does not, or a value whose type Dynamo does not know, "
        "may break or specialise. The static layer cannot tell which, so the finding is a "
        "warning and the dynamic layer (`--confirm`) says whether it breaks on the installed "
        "torch. A common case is `isinstance(attn_out, tuple)` after `flex_attention`."
    )
    fix = "safe"
    fix_safety = (
        "Safe fix: the `if`/`else` (or conditional expression) is "
        "replaced by the branch that matches the call's return type, usually the plain "
        "assignment `out = attn_out`. The check could only ever take that branch, so the program "
        "means the same."
    )
    gb_codes = ()
    verdict = (
        "torch 2.13 and 2.14 (CPU) and 2.11 (CUDA, eager and inductor) fold the check: no graph "
        "break, and `--confirm` refutes the finding. A release that does not constant-fold "
        "`isinstance` on traced values may break or specialise."
    )
    proof = "none"
    VALID = [
        Valid(
            """
            import torch

            class Mask(torch.nn.Module):
                def forward(self, x, mask=None):
                    if isinstance(mask, int):  # before the tensor assignment: an int is a legal input
                        mask = torch.arange(x.shape[-1]) < mask
                    mask = torch.ones_like(x, dtype=torch.bool) if mask is None else mask
                    return x.masked_fill(~mask, 0.0)
            """,
            target='Mask(), (torch.randn(4), 2)',
        ),
        Valid(
            """
            import torch
            from torch.nn.attention.flex_attention import flex_attention

            flex_attention = torch.compile(flex_attention)

            class Attention(torch.nn.Module):
                def forward(self, q, k, v):
                    out = flex_attention(q, k, v)
                    return out.transpose(1, 2)
            """,
            target="Target(Attention(), args=(torch.randn(1, 2, 8, 4),) * 3, no_grad=True)",
        ),
        Valid(
            """
            import torch
            from torch.nn.attention.flex_attention import flex_attention

            flex_attention = torch.compile(flex_attention)

            class Attention(torch.nn.Module):
                def forward(self, q, k, v):
                    res = flex_attention(q, k, v, return_lse=True)
                    if isinstance(res, tuple):
                        res = res[0]
                    return res
            """,
            target="Target(Attention(), args=(torch.randn(1, 2, 8, 4),) * 3, no_grad=True)",
        ),
        Valid(
            """
            import torch

            class Block(torch.nn.Module):
                def forward(self, x, cache=None):
                    if isinstance(cache, tuple):
                        x = x + cache[0]
                    return x
            """,
            target="Block(), (torch.randn(3), (torch.ones(3),))",
        ),
        Valid(
            """
            import torch

            def train_step(model, batch):
                out = model(batch)
                if isinstance(out, tuple):
                    out = out[0]
                return out
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch
            from torch.nn.attention.flex_attention import flex_attention

            class Attention(torch.nn.Module):
                def forward(self, q, k, v):
                    attn_out = flex_attention(q, k, v)
                    if isinstance(attn_out, tuple):
                        out = attn_out[0]
                    else:
                        out = attn_out
                    return out
            """,
            line=7,
            target="Target(Attention(), args=(torch.randn(1, 2, 8, 4),) * 3, no_grad=True)",
            fixed="""
            import torch
            from torch.nn.attention.flex_attention import flex_attention

            class Attention(torch.nn.Module):
                def forward(self, q, k, v):
                    attn_out = flex_attention(q, k, v)
                    out = attn_out
                    return out
            """,
        ),
        Invalid(
            """
            import torch
            import torch.nn.functional as F

            @torch.compile(fullgraph=True)
            def attend(q, k, v):
                out = F.scaled_dot_product_attention(q, k, v)
                return out[0] if type(out) is tuple else out
            """,
            line=7,
            target="attend, (torch.randn(1, 2, 8, 4),) * 3",
        ),
        Invalid(
            """
            import torch
            from torch import nn

            class Encoder(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.proj = nn.Linear(8, 8)

                def forward(self, x):
                    y = self.proj(x)
                    if isinstance(y, (tuple, list)):
                        y = y[0]
                    return y
            """,
            line=11,
            target="Encoder(), (torch.randn(2, 8),)",
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        if self.context.qualified_name(node.func) != "builtins.isinstance" or len(node.args) != 2:
            return
        self._check(node, node.args[0].value, node.args[1].value)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        # type(x) is tuple / type(x) == tuple
        left = node.left
        if (
            len(node.comparisons) == 1
            and isinstance(node.comparisons[0].operator, (cst.Is, cst.Equal))
            and isinstance(left, cst.Call)
            and self.context.qualified_name(left.func) == "builtins.type"
            and len(left.args) == 1
        ):
            self._check(node, left.args[0].value, node.comparisons[0].comparator)

    def _check(self, node: cst.CSTNode, subject: cst.BaseExpression, types: cst.BaseExpression) -> None:
        if not isinstance(subject, cst.Name):
            return
        if not any(t in CONTAINER_TYPES for t in _type_names(self.context, types)):
            return
        # the definitions of the name that reach the check: all of them a call certain to
        # return a Tensor (a torch function or method, a torch.nn layer, flex_attention)
        value = self.context.value(subject)
        if not value.is_tensor or value.producer is None or value.optional:
            return
        if any(a.keyword is not None and a.keyword.value in TUPLE_OPTIONS for a in value.producer.args):
            return  # the call really may return a tuple
        producer = self.context.module.code_for_node(value.producer.func)
        check = self.context.module.code_for_node(node)
        tensor_check = "torch.Tensor" in _type_names(self.context, types)
        self.report(node, check=check, producer=producer, fix=self._fix(node, tensor_check), evidence=value)

    def _fix(self, node: cst.CSTNode, tensor_check: bool):
        """Keep the branch the check always takes: the body for `isinstance(x, Tensor)`, the
        `else` for containers."""
        ancestors = self.context.ancestors
        parent = ancestors[-2] if len(ancestors) > 1 else None
        if isinstance(parent, cst.IfExp) and parent.test is node:
            return Edit(safe=True, replacements={parent: parent.body if tensor_check else parent.orelse})
        if not isinstance(parent, cst.If) or parent.test is not node:
            return None
        if tensor_check:
            kept = list(parent.body.body)
        elif parent.orelse is None:
            kept = []
        elif isinstance(parent.orelse, cst.Else):
            kept = list(parent.orelse.body.body)
        else:
            return None  # an elif chain: not mechanical
        if not kept:
            return Edit(safe=True, replacements={parent: cst.RemoveFromParent()})
        kept[0] = kept[0].with_changes(leading_lines=[*parent.leading_lines, *kept[0].leading_lines])
        return Edit(safe=True, replacements={parent: cst.FlattenSentinel(kept)})
