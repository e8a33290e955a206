import libcst as cst

from compile_audit.lint.edits import Edit
from compile_audit.lint.rule import Invalid, Rule, Valid
from compile_audit.rules._flex import QKV, is_literal, own_returns


class ModReturnsConstant(Rule):
    code = "CA204"
    name = "mod-returns-constant"
    severity = "error"
    proof = "eager"
    message = (
        "this {kind} returns the Python constant `{value}`: FlexAttention runs mods under vmap, which only "
        "accepts tensors; return a tensor expression such as {instead}"
    )
    what = (
        "Flags a FlexAttention `mask_mod` or `score_mod` that returns a Python literal (`True`, "
        "`False`, a number, `None`) instead of a tensor built from its arguments."
    )
    why = (
        "`create_block_mask` and `flex_attention` evaluate the mod with `torch.vmap` over every "
        "(batch, head, query, key) index. vmap requires tensor outputs: a Python bool fails with "
        "'must only return Tensors, got type bool', a constant score with 'HOP body output "
        "unsupported' (GB0314), with or without `torch.compile`. A common case is `return True` "
        "in an 'allow everything' mask, where `return q_idx >= 0` is the tensor that means it."
    )
    fix = "safe"
    fix_safety = (
        "Safe fix (the original cannot run at all): a `mask_mod`'s `return True` becomes "
        "`return q_idx >= 0` (`False`: `q_idx < 0`), a boolean tensor of the right shape and device "
        "for every index; a `score_mod`'s constant `c` becomes `torch.full_like(score, c)`. The "
        "parameter names are the mod's own."
    )
    gb_codes = ("GB0314", "GB0088")
    verdict = (
        "torch 2.13 (CPU) and 2.11 (CUDA, inductor): fails in every mode, even without torch.compile."
    )
    VALID = [
        Valid(
            """
            import torch
            from torch.nn.attention.flex_attention import create_block_mask

            def full(b, h, q_idx, kv_idx):
                return q_idx >= 0

            def build():
                return create_block_mask(full, None, None, 16, 16, device="cpu")
            """,
            target="build, ()",
        ),
        Valid(
            """
            import torch
            from torch.nn.attention.flex_attention import flex_attention

            def identity(score, b, h, q_idx, kv_idx):
                return score

            @torch.compile
            def attend(q, k, v):
                return flex_attention(q, k, v, score_mod=identity)
            """,
            target=f"Target(attend, args={QKV}, no_grad=True)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch
            from torch.nn.attention.flex_attention import create_block_mask

            def full(b, h, q_idx, kv_idx):
                return True

            def build():
                return create_block_mask(full, None, None, 16, 16, device="cpu")
            """,
            line=5,
            target="build, ()",
            fixed="""
            import torch
            from torch.nn.attention.flex_attention import create_block_mask

            def full(b, h, q_idx, kv_idx):
                return q_idx >= 0

            def build():
                return create_block_mask(full, None, None, 16, 16, device="cpu")
            """,
        ),
        Invalid(
            """
            import torch
            from torch.nn.attention.flex_attention import flex_attention

            def flat(score, b, h, q_idx, kv_idx):
                return 0.0

            @torch.compile
            def attend(q, k, v):
                return flex_attention(q, k, v, score_mod=flat)
            """,
            line=5,
            target=f"Target(attend, args={QKV}, no_grad=True)",
        ),
    ]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        info = self.context.scope.functions.get(node)
        if info is None or info.mod_kind is None:
            return
        for ret in own_returns(node):
            if ret.value is not None and is_literal(ret.value):
                kind = "mask_mod" if info.mod_kind == "mask" else "score_mod"
                instead = "`q_idx >= 0`" if info.mod_kind == "mask" else "`torch.zeros_like(score)` or `score`"
                self.report(ret, kind=kind, value=self.source(ret.value), instead=instead, fix=self._fix(node, ret, info))

    def _fix(self, node: cst.FunctionDef, ret: cst.Return, info):
        params = [p.name.value for p in [*node.params.posonly_params, *node.params.params]]
        value = self.source(ret.value)
        if info.mod_kind == "mask" and len(params) == 4 and value in ("True", "False"):
            expression = f"{params[2]} >= 0" if value == "True" else f"{params[2]} < 0"
        elif info.mod_kind == "score" and len(params) == 5 and self.context.torch_name() and value not in ("True", "False", "None"):
            expression = f"{self.context.torch_name()}.full_like({params[0]}, {value})"
        else:
            return None
        return Edit(safe=True, replacements={ret: ret.with_changes(value=cst.parse_expression(expression))})
