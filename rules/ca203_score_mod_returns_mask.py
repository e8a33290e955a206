import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid
from compile_audit.rules._flex import QKV, is_bool_expr, own_returns, positional_params


class ScoreModReturnsMask(Rule):
    code = "CA203"
    name = "score-mod-returns-mask"
    severity = "error"
    proof = "none"
    message = (
        "this `score_mod` returns a boolean mask, not scores: FlexAttention adds it as 0/1 to nothing and "
        "masks nothing; return `torch.where(mask, score, -inf)`, or pass the mask to `create_block_mask`"
    )
    what = (
        "Flags a `score_mod` (five parameters, passed to `flex_attention`) that returns a "
        "comparison or a `&`/`|`/`~` of comparisons instead of a modified score."
    )
    why = (
        "A `score_mod`'s result *replaces* the attention score. A boolean result is silently "
        "promoted to 0.0/1.0: nothing is masked, and the scores are thrown away. It compiles and "
        "runs without any error on torch 2.13 and 2.14, which is why it needs a linter: this is "
        "a mask written where a score modification was expected."
    )
    fix_safety = "No automatic fix: the intent (mask or bias) needs a human."
    gb_codes = ()
    verdict = "torch 2.13: compiles and runs, silently wrong (no error in any mode)."
    VALID = [
        Valid(
            """
            import torch
            from torch.nn.attention.flex_attention import flex_attention

            def causal(score, b, h, q_idx, kv_idx):
                return torch.where(q_idx >= kv_idx, score, -float("inf"))

            @torch.compile
            def attend(q, k, v):
                return flex_attention(q, k, v, score_mod=causal)
            """,
            target=f"Target(attend, args={QKV}, no_grad=True)",
        ),
        Valid(
            """
            import torch
            from torch.nn.attention.flex_attention import flex_attention

            def relative(score, b, h, q_idx, kv_idx):
                return score + (q_idx - kv_idx) * 0.1

            @torch.compile
            def attend(q, k, v):
                return flex_attention(q, k, v, score_mod=relative)
            """,
            target=f"Target(attend, args={QKV}, no_grad=True)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch
            from torch.nn.attention.flex_attention import flex_attention

            def causal(score, b, h, q_idx, kv_idx):
                return q_idx >= kv_idx

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
            from torch.nn.attention.flex_attention import flex_attention

            def banded(score, b, h, q_idx, kv_idx):
                return (q_idx >= kv_idx) & (q_idx - kv_idx < 4)

            @torch.compile
            def attend(q, k, v):
                return flex_attention(q, k, v, banded)
            """,
            line=5,
            target=f"Target(attend, args={QKV}, no_grad=True)",
        ),
    ]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        info = self.context.scope.functions.get(node)
        if info is None or info.mod_kind != "score" or positional_params(node)[0] != 5:
            return
        for ret in own_returns(node):
            if ret.value is not None and is_bool_expr(ret.value):
                self.report(ret)
