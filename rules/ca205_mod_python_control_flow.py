import libcst as cst

from compile_audit.lint.edits import Edit, parenthesize
from compile_audit.lint.rule import Invalid, Rule, Valid
from compile_audit.rules._flex import is_bool_expr
from compile_audit.rules._flex import QKV


class ModPythonControlFlow(Rule):
    code = "CA205"
    name = "mod-python-control-flow"
    severity = "error"
    proof = "eager"
    message = (
        "Python `{what}` on index tensors inside a FlexAttention mod: vmap cannot branch on tensor values; "
        "use {instead}"
    )
    what = (
        "Flags Python control flow and boolean operators inside a `score_mod` or `mask_mod`: `if`, "
        "`elif`, `while`, conditional expressions, `and`, `or`, `not`. (CA104 and CA108 leave mods "
        "to this rule.)"
    )
    why = (
        "The mod's arguments are index tensors batched by vmap: a Python decision on them "
        "needs one bool for all positions at once. vmap refuses ('attempting to use a Tensor in "
        "some data-dependent control flow'), or Dynamo breaks (GB0170), with or without "
        "`torch.compile`. The element-wise forms (`&`, `|`, `~`, `torch.where`) express the same "
        "mask for every position."
    )
    fix = "sometimes-safe"
    fix_safety = (
        "`and`/`or`/`not` become `&`/`|`/`~`, with the operands parenthesised. Safe when the operands "
        "are comparisons (boolean tensors, for which the bitwise and logical forms agree); unsafe "
        "otherwise (on integer tensors `&` is bitwise). `if` statements are not fixed."
    )
    gb_codes = ("GB0170",)
    verdict = "torch 2.13: fails in every mode, even without torch.compile."
    VALID = [
        Valid(
            """
            import torch
            from torch.nn.attention.flex_attention import create_block_mask

            def sliding_window(causal: bool, window: int):
                def mask_mod(b, h, q_idx, kv_idx):
                    near = (q_idx - kv_idx).abs() <= window
                    if causal and window > 0:
                        return near & (q_idx >= kv_idx)
                    return near
                return mask_mod

            def build():
                return create_block_mask(sliding_window(True, 4), None, None, 16, 16, device="cpu")
            """,
            target="build, ()",
        ),
        Valid(
            """
            import torch
            from torch.nn.attention.flex_attention import create_block_mask

            def sliding(b, h, q_idx, kv_idx):
                return (q_idx >= kv_idx) & (q_idx - kv_idx < 8)

            def build():
                return create_block_mask(sliding, None, None, 16, 16, device="cpu")
            """,
            target="build, ()",
        ),
        Valid(
            """
            import torch
            from torch.nn.attention.flex_attention import flex_attention

            def soft_cap(score, b, h, q_idx, kv_idx):
                return torch.where(score > 20.0, 20.0 + (score - 20.0) * 0.1, score)

            @torch.compile
            def attend(q, k, v):
                return flex_attention(q, k, v, score_mod=soft_cap)
            """,
            target=f"Target(attend, args={QKV}, no_grad=True)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch
            from torch.nn.attention.flex_attention import create_block_mask

            def sliding(b, h, q_idx, kv_idx):
                return q_idx >= kv_idx and q_idx - kv_idx < 8

            def build():
                return create_block_mask(sliding, None, None, 16, 16, device="cpu")
            """,
            line=5,
            target="build, ()",
            fix_safe=True,
            fixed="""
            import torch
            from torch.nn.attention.flex_attention import create_block_mask

            def sliding(b, h, q_idx, kv_idx):
                return (q_idx >= kv_idx) & (q_idx - kv_idx < 8)

            def build():
                return create_block_mask(sliding, None, None, 16, 16, device="cpu")
            """,
        ),
        Invalid(
            """
            import torch
            from torch.nn.attention.flex_attention import flex_attention

            def causal(score, b, h, q_idx, kv_idx):
                if q_idx >= kv_idx:
                    return score
                return score - 1e9

            @torch.compile
            def attend(q, k, v):
                return flex_attention(q, k, v, score_mod=causal)
            """,
            line=5,
            target=f"Target(attend, args={QKV}, no_grad=True)",
        ),
        Invalid(
            """
            import torch
            from torch.nn.attention.flex_attention import create_block_mask

            def not_future(b, h, q_idx, kv_idx):
                return not (q_idx < kv_idx)

            def build():
                return create_block_mask(not_future, None, None, 16, 16, device="cpu")
            """,
            line=5,
            target="build, ()",
        ),
        # an operand that is not a comparison: the fix is unsafe (`&` of an integer tensor is bitwise)
        Invalid(
            """
            import torch
            from torch.nn.attention.flex_attention import create_block_mask

            def odd_keys(b, h, q_idx, kv_idx):
                return kv_idx % 2 and q_idx >= kv_idx

            def build():
                return create_block_mask(odd_keys, None, None, 16, 16, device="cpu")
            """,
            line=5,
            fix_safe=False,
            fixed="""
            import torch
            from torch.nn.attention.flex_attention import create_block_mask

            def odd_keys(b, h, q_idx, kv_idx):
                return (kv_idx % 2) & (q_idx >= kv_idx)

            def build():
                return create_block_mask(odd_keys, None, None, 16, 16, device="cpu")
            """,
        ),
    ]

    def _on_tensors(self, *exprs: cst.BaseExpression) -> bool:
        """Whether the decision depends on the mod's tensors (its index arguments, or tensors it
        captured); a captured Python bool or int (``causal``, ``window``) is fine."""
        return any(self._decides(e) for e in exprs)

    def _decides(self, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, cst.BooleanOperation):
            return self._decides(expr.left) or self._decides(expr.right)
        if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Not):
            return self._decides(expr.expression)
        return self.tensor(expr)

    def visit_If(self, node: cst.If) -> None:
        if self.context.in_mod and self._on_tensors(node.test):
            self.report(node.test, what="if", instead="`torch.where(condition, a, b)`")

    def visit_While(self, node: cst.While) -> None:
        if self.context.in_mod and self._on_tensors(node.test):
            self.report(node.test, what="while", instead="a closed-form expression")

    def visit_IfExp(self, node: cst.IfExp) -> None:
        if self.context.in_mod and self._on_tensors(node.test):
            self.report(node, what="... if ... else ...", instead="`torch.where(condition, a, b)`")

    @staticmethod
    def _boolean(expr: cst.BaseExpression) -> bool:
        if isinstance(expr, cst.BooleanOperation):
            return ModPythonControlFlow._boolean(expr.left) and ModPythonControlFlow._boolean(expr.right)
        if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Not):
            return ModPythonControlFlow._boolean(expr.expression)
        return is_bool_expr(expr)

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        if self.context.in_mod and self._on_tensors(node.left, node.right):
            op = "and" if isinstance(node.operator, cst.And) else "or"
            operator = cst.BitAnd() if op == "and" else cst.BitOr()
            replacement = cst.BinaryOperation(
                left=parenthesize(node.left), operator=operator, right=parenthesize(node.right),
                lpar=node.lpar, rpar=node.rpar,
            )
            fix = Edit(safe=self._boolean(node), replacements={node: replacement})
            self.report(node, what=op, instead="`&`" if op == "and" else "`|`", fix=fix)

    def visit_UnaryOperation(self, node: cst.UnaryOperation) -> None:
        if self.context.in_mod and isinstance(node.operator, cst.Not) and self._on_tensors(node.expression):
            replacement = cst.UnaryOperation(
                operator=cst.BitInvert(), expression=parenthesize(node.expression), lpar=node.lpar, rpar=node.rpar
            )
            fix = Edit(safe=self._boolean(node.expression), replacements={node: replacement})
            self.report(node, what="not", instead="`~`", fix=fix)
