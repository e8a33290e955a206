from compile_audit.lint.rule import Invalid, Valid
from compile_audit.rules.ca201_score_mod_signature import ScoreModSignature


class MaskModSignature(ScoreModSignature):
    code = "CA202"
    name = "mask-mod-signature"
    severity = "error"
    proof = "eager"
    message = (
        "`{func}` is used as a `mask_mod` but takes {count} positional parameters; FlexAttention calls it "
        "as `mask_mod(b, h, q_idx, kv_idx)` and rejects it"
    )
    what = (
        "Flags a function passed as `mask_mod` (to `create_block_mask`, `create_mask`, `and_masks`, "
        "`or_masks`) whose signature is not exactly `(b, h, q_idx, kv_idx)`. A five-parameter "
        "function is usually a `score_mod` in the wrong place."
    )
    why = (
        "`create_block_mask` inspects the mod's arity to tell a mask from a score modification and "
        "asserts 'create-block_mask requires a mask_mod function', before any compilation: the "
        "code fails with or without `torch.compile`."
    )
    fix_safety = "No automatic fix: drop the `score` parameter, or pass the function as `score_mod` instead."
    gb_codes = ("GB0088",)
    verdict = "torch 2.13: fails in every mode (AssertionError in `create_block_mask`)."
    VALID = [
        Valid(
            """
            import torch
            from torch.nn.attention.flex_attention import create_block_mask

            def causal(b, h, q_idx, kv_idx):
                return q_idx >= kv_idx

            def build():
                return create_block_mask(causal, None, None, 16, 16, device="cpu")
            """,
            target="build, ()",
        ),
        Valid(
            """
            import torch
            from torch.nn.attention.flex_attention import and_masks, create_block_mask

            def causal(b, h, q_idx, kv_idx):
                return q_idx >= kv_idx

            def window(b, h, q_idx, kv_idx):
                return q_idx - kv_idx < 8

            def build():
                return create_block_mask(and_masks(causal, window), None, None, 16, 16, device="cpu")
            """,
            target="build, ()",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch
            from torch.nn.attention.flex_attention import create_block_mask

            def causal(score, b, h, q_idx, kv_idx):
                return q_idx >= kv_idx

            def build():
                return create_block_mask(causal, None, None, 16, 16, device="cpu")
            """,
            line=4,
            target="build, ()",
        ),
        Invalid(
            """
            import torch
            from torch.nn.attention.flex_attention import create_block_mask

            def window(q_idx, kv_idx):
                return q_idx - kv_idx < 8

            def build():
                return create_block_mask(window, None, None, 16, 16, device="cpu")
            """,
            line=4,
            target="build, ()",
        ),
    ]

    EXPECTED = 4
    KIND = "mask"
