import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid
from compile_audit.rules._flex import is_bool_expr, is_literal, own_returns

ARITHMETIC = (cst.Add, cst.Subtract, cst.Multiply, cst.Divide, cst.Power)


class MaskModReturnsScores(Rule):
    code = "CA210"
    name = "mask-mod-returns-scores"
    severity = "error"
    proof = "eager"
    message = (
        "this `mask_mod` returns numbers, not a boolean mask: `create_block_mask` requires `torch.bool`; "
        "return the condition itself (`q_idx >= kv_idx`), or make it a `score_mod`"
    )
    what = (
        "Flags a `mask_mod` that returns scores: `torch.where(cond, 0.0, -inf)`-style float "
        "selections or arithmetic, the reverse of CA203."
    )
    why = (
        "A block mask records, per position, whether attention is allowed: `create_block_mask` "
        "asserts 'mask.dtype must be torch.bool', with or without `torch.compile`. Additive "
        "masks (0 / -inf) belong in a `score_mod`."
    )
    fix_safety = "No automatic fix: return the comparison itself (a boolean tensor), and move additive scores to a `score_mod`."
    gb_codes = ("GB0088",)
    verdict = "torch 2.13: fails in every mode (AssertionError in `create_block_mask`)."
    VALID = [
        Valid(
            """
            import torch
            from torch.nn.attention.flex_attention import create_block_mask

            def causal(b, h, q_idx, kv_idx):
                return torch.where(q_idx >= kv_idx, True, False)

            def build():
                return create_block_mask(causal, None, None, 16, 16, device="cpu")
            """,
            target="build, ()",
        ),
        Valid(
            """
            import torch
            from torch.nn.attention.flex_attention import create_block_mask

            def prefix_lm(b, h, q_idx, kv_idx):
                return (kv_idx < 4) | (q_idx >= kv_idx)

            def build():
                return create_block_mask(prefix_lm, None, None, 16, 16, device="cpu")
            """,
            target="build, ()",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch
            from torch.nn.attention.flex_attention import create_block_mask

            def causal(b, h, q_idx, kv_idx):
                return torch.where(q_idx >= kv_idx, 0.0, -float("inf"))

            def build():
                return create_block_mask(causal, None, None, 16, 16, device="cpu")
            """,
            line=5,
            target="build, ()",
        ),
        Invalid(
            """
            import torch
            from torch.nn.attention.flex_attention import create_block_mask

            def distance(b, h, q_idx, kv_idx):
                return (q_idx - kv_idx) * 1.0

            def build():
                return create_block_mask(distance, None, None, 16, 16, device="cpu")
            """,
            line=5,
            target="build, ()",
        ),
    ]

    def _numeric(self, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, ARITHMETIC):
            return True
        if isinstance(expr, cst.Call) and self.qualified_name(expr.func) == "torch.where" and len(expr.args) == 3:
            branches = [a.value for a in expr.args[1:]]
            return any(
                (is_literal(b) and not (isinstance(b, cst.Name) and b.value in ("True", "False")))
                or (isinstance(b, cst.UnaryOperation) and isinstance(b.operator, cst.Minus))
                or isinstance(b, cst.Call)
                for b in branches
            ) and not any(is_bool_expr(b) for b in branches)
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        info = self.context.scope.functions.get(node)
        if info is None or info.mod_kind != "mask":
            return
        for ret in own_returns(node):
            if ret.value is not None and self._numeric(ret.value):
                self.report(ret)
