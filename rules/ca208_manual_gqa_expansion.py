import libcst as cst

from compile_audit.rule import Invalid, Rule, Valid
from compile_audit.rules._flex import FLEX_ATTENTION, SDPA, argument

EXPANDERS = frozenset({"repeat_interleave", "expand", "repeat"})


class ManualGqaExpansion(Rule):
    code = "CA208"
    name = "manual-gqa-expansion"
    severity = "warning"
    scope = "module"
    proof = "none"
    message = (
        "`{call}` copies key/value heads by hand before `{attention}`: pass the grouped tensors with "
        "`enable_gqa=True` instead, which shares them without materialising the copies"
    )
    what = (
        "Flags keys or values expanded by hand (`.repeat_interleave(...)`, `.expand(...)`, "
        "`.repeat(...)`) and then passed as `k`/`v` to `flex_attention` or "
        "`F.scaled_dot_product_attention` in the same function."
    )
    why = (
        "Grouped-query attention shares each key/value head among several query heads. Copying "
        "them with `repeat_interleave` multiplies the memory traffic of K and V by the group size; "
        "`flex_attention(..., enable_gqa=True)` (torch 2.5+) and SDPA's `enable_gqa=True` index "
        "the shared heads instead. Seed 004 expands 8 KV heads to 24 this way. It compiles; the "
        "cost is memory and bandwidth."
    )
    fix_safety = "No automatic fix yet: drop the expansion and pass `enable_gqa=True`."
    gb_codes = ()
    torch_versions = ">=2.5"
    verdict = (
        "torch 2.13 (CPU) and 2.11 (CUDA, inductor): compiles; the copies cost memory and bandwidth."
    )
    VALID = [
        Valid(
            """
            import torch
            from torch.nn.attention.flex_attention import flex_attention

            @torch.compile
            def attend(q, k, v):
                return flex_attention(q, k, v, enable_gqa=True)
            """,
            target="Target(attend, args=(torch.randn(1, 4, 16, 8), torch.randn(1, 2, 16, 8), torch.randn(1, 2, 16, 8)), no_grad=True)",
        ),
        Valid(
            """
            import torch
            import torch.nn.functional as F

            def attend(q, k, v):
                q = q.repeat_interleave(1, dim=0)
                return F.scaled_dot_product_attention(q, k, v, enable_gqa=True)
            """,
            target="Target(attend, args=(torch.randn(1, 4, 16, 8), torch.randn(1, 2, 16, 8), torch.randn(1, 2, 16, 8)), no_grad=True)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch
            from torch.nn.attention.flex_attention import flex_attention

            def attend(q, k, v):
                groups = q.shape[1] // k.shape[1]
                k = k.repeat_interleave(groups, dim=1)
                v = v.repeat_interleave(groups, dim=1)
                return flex_attention(q, k, v)
            """,
            line=6,
            target="Target(attend, args=(torch.randn(1, 4, 16, 8), torch.randn(1, 2, 16, 8), torch.randn(1, 2, 16, 8)), no_grad=True)",
        ),
        Invalid(
            """
            import torch
            import torch.nn.functional as F

            def attend(q, k, v):
                return F.scaled_dot_product_attention(q, k.repeat_interleave(2, dim=1), v.repeat_interleave(2, dim=1))
            """,
            line=5,
            target="Target(attend, args=(torch.randn(1, 4, 16, 8), torch.randn(1, 2, 16, 8), torch.randn(1, 2, 16, 8)), no_grad=True)",
        ),
    ]

    def __init__(self, context) -> None:
        super().__init__(context)
        self._expanded: list[dict] = [{}]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._expanded.append({})

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._expanded.pop()

    @staticmethod
    def _expansion(expr: cst.BaseExpression):
        if (
            isinstance(expr, cst.Call)
            and isinstance(expr.func, cst.Attribute)
            and expr.func.attr.value in EXPANDERS
        ):
            return expr
        return None

    def visit_Assign(self, node: cst.Assign) -> None:
        call = self._expansion(node.value)
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                if call is not None:
                    self._expanded[-1][target.target.value] = call
                else:
                    self._expanded[-1].pop(target.target.value, None)

    def visit_Call(self, node: cst.Call) -> None:
        qualified = self.qualified_name(node.func)
        if qualified not in (FLEX_ATTENTION, SDPA):
            return
        if any(a.keyword is not None and a.keyword.value == "enable_gqa" for a in node.args):
            return
        attention = self.source(node.func)
        for index, keyword in ((1, "key" if qualified == SDPA else "key"), (2, "value")):
            value = argument(node, index, keyword)
            if value is None:
                continue
            call = self._expansion(value)
            if call is None and isinstance(value, cst.Name):
                call = self._expanded[-1].get(value.value)
            if call is not None:
                self.report(call, call=f".{call.func.attr.value}(...)", attention=attention)
