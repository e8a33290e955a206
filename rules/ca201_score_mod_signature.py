import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid
from compile_audit.rules._flex import QKV, positional_params


class ScoreModSignature(Rule):
    code = "CA201"
    name = "score-mod-signature"
    severity = "error"
    proof = "eager"
    message = (
        "`{func}` is used as a `score_mod` but takes {count} positional parameters; FlexAttention calls it "
        "as `score_mod(score, b, h, q_idx, kv_idx)` and fails to bind the arguments (GB7312)"
    )
    what = (
        "Flags a function passed to `flex_attention` as `score_mod` whose signature does not take "
        "exactly the five positional parameters `(score, b, h, q_idx, kv_idx)`. A four-parameter "
        "function is usually a `mask_mod` passed in the wrong place (that belongs in "
        "`create_block_mask`)."
    )
    why = (
        "FlexAttention traces the `score_mod` with Dynamo under vmap, calling it with five "
        "arguments. A different arity fails to bind ('failed to bind arguments when attempting to "
        "inline', GB7312), and because eager `flex_attention` traces the mod too, it fails with "
        "or without `torch.compile`."
    )
    fix_safety = "No automatic fix: add the missing parameters, or move a mask to `create_block_mask`."
    gb_codes = ("GB7312",)
    verdict = "torch 2.13: fails in every mode, even without torch.compile."
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

            def alibi(score, b, h, q_idx, kv_idx, *, slope=0.5):
                return score - slope * (q_idx - kv_idx).abs()

            @torch.compile
            def attend(q, k, v):
                return flex_attention(q, k, v, alibi)
            """,
            target=f"Target(attend, args={QKV}, no_grad=True)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch
            from torch.nn.attention.flex_attention import flex_attention

            def causal(b, h, q_idx, kv_idx):
                return q_idx >= kv_idx

            @torch.compile
            def attend(q, k, v):
                return flex_attention(q, k, v, score_mod=causal)
            """,
            line=4,
            target=f"Target(attend, args={QKV}, no_grad=True)",
        ),
        Invalid(
            """
            import torch
            from torch.nn.attention.flex_attention import flex_attention

            def bias(score, q_idx, kv_idx):
                return score + (q_idx - kv_idx)

            @torch.compile
            def attend(q, k, v):
                return flex_attention(q, k, v, bias)
            """,
            line=4,
            target=f"Target(attend, args={QKV}, no_grad=True)",
        ),
    ]

    EXPECTED = 5
    KIND = "score"

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        info = self.context.scope.functions.get(node)
        if info is None or info.mod_kind != self.KIND:
            return
        count, star = positional_params(node)
        if count != self.EXPECTED and not star:
            self.report(node.name, func=node.name.value, count=count)
