import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid
from compile_audit.analysis.torchapi import CREATE_BLOCK_MASK, FLEX_ATTENTION, argument

FACTORIES = frozenset({"torch.randn", "torch.rand", "torch.zeros", "torch.ones", "torch.empty", "torch.full"})


class BlockMaskLengthMismatch(Rule):
    code = "CA209"
    name = "block-mask-length-mismatch"
    severity = "error"
    scope = "module"
    requires_text = r"flex_attention"
    proof = "eager"
    message = (
        "the block mask `{mask}` was built for {mask_q} queries and {mask_kv} keys, but `{q}` has {q_len} "
        "and `{k}` has {k_len}: flex_attention rejects it"
    )
    what = (
        "Flags a `flex_attention(q, k, v, block_mask=m)` call where the sequence lengths are "
        "visible in the same function (or at module level): `m = create_block_mask(mod, B, H, "
        "Q_LEN, KV_LEN)` with literal lengths, and `q`/`k` created with literal shapes "
        "(`torch.randn(...)` and friends), and they disagree."
    )
    why = (
        "A block mask is a sparse map of blocks for one (query length, key length) pair. Used "
        "with other lengths it is rejected ('block_mask was created for block_mask.shape=... but "
        "got q_len=...'), with or without `torch.compile`. In generation loops, where the "
        "sequence grows every step, a cached mask goes stale exactly this way."
    )
    fix_safety = "No automatic fix: build the mask with `q.shape[-2]` and `k.shape[-2]`."
    gb_codes = ("GB0088",)
    verdict = "torch 2.13: fails in every mode (ValueError from flex_attention)."
    VALID = [
        Valid(
            """
            import torch
            from torch.nn.attention.flex_attention import create_block_mask, flex_attention

            flex_attention = torch.compile(flex_attention)

            def causal(b, h, q_idx, kv_idx):
                return q_idx >= kv_idx

            def run():
                q = torch.randn(1, 2, 16, 16)
                k = torch.randn(1, 2, 16, 16)
                mask = create_block_mask(causal, None, None, 16, 16, device=q.device)
                return flex_attention(q, k, k, block_mask=mask)
            """,
            target="Target(run, args=(), no_grad=True)",
        ),
        Valid(
            """
            import torch
            from torch.nn.attention.flex_attention import create_block_mask, flex_attention

            flex_attention = torch.compile(flex_attention)

            def causal(b, h, q_idx, kv_idx):
                return q_idx >= kv_idx

            def run(q, k):
                mask = create_block_mask(causal, None, None, q.shape[-2], k.shape[-2], device=q.device)
                return flex_attention(q, k, k, block_mask=mask)
            """,
            target="Target(run, args=(torch.randn(1, 2, 16, 16), torch.randn(1, 2, 24, 16)), no_grad=True)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch
            from torch.nn.attention.flex_attention import create_block_mask, flex_attention

            def causal(b, h, q_idx, kv_idx):
                return q_idx >= kv_idx

            def run():
                q = torch.randn(1, 2, 16, 16)
                mask = create_block_mask(causal, None, None, 256, 256, device=q.device)
                return flex_attention(q, q, q, block_mask=mask)
            """,
            line=10,
            target="Target(run, args=(), no_grad=True)",
        ),
        Invalid(
            """
            import torch
            from torch.nn.attention.flex_attention import create_block_mask, flex_attention

            def causal(b, h, q_idx, kv_idx):
                return q_idx >= kv_idx

            SEQ = 16
            MASK = create_block_mask(causal, None, None, 2 * SEQ, 2 * SEQ, device=torch.get_default_device())

            def run():
                q = torch.zeros(1, 2, SEQ, 16)
                return flex_attention(q, q, q, block_mask=MASK)
            """,
            line=12,
            target="Target(run, args=(), no_grad=True)",
        ),
    ]

    def __init__(self, context) -> None:
        super().__init__(context)
        self._frames: list[dict] = [{}]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._frames.append({})

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._frames.pop()

    def _lookup(self, name: str):
        for frame in reversed(self._frames):
            if name in frame:
                return frame[name]
        return None

    def _int(self, expr: cst.BaseExpression):
        """The value of a literal int expression (names bound to ints, + - * //)."""
        if isinstance(expr, cst.Integer):
            return int(expr.evaluated_value)
        if isinstance(expr, cst.Name):
            value = self._lookup(expr.value)
            return value if isinstance(value, int) else None
        if isinstance(expr, cst.BinaryOperation):
            left, right = self._int(expr.left), self._int(expr.right)
            if left is None or right is None:
                return None
            ops = {cst.Add: lambda a, b: a + b, cst.Subtract: lambda a, b: a - b,
                   cst.Multiply: lambda a, b: a * b, cst.FloorDivide: lambda a, b: a // b if b else None}
            for op, fn in ops.items():
                if isinstance(expr.operator, op):
                    return fn(left, right)
        return None

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) != 1 or not isinstance(node.targets[0].target, cst.Name):
            return
        name = node.targets[0].target.value
        value = node.value
        record = None
        if isinstance(value, cst.Call):
            qualified = self.qualified_name(value.func)
            if qualified in FACTORIES:
                dims = [self._int(a.value) for a in value.args if a.keyword is None]
                if qualified == "torch.full":
                    dims = dims[:-1]
                if len(dims) >= 2 and all(d is not None for d in dims):
                    record = ("tensor", tuple(dims))
            elif qualified == CREATE_BLOCK_MASK:
                q_len, kv_len = argument(value, 3, "Q_LEN"), argument(value, 4, "KV_LEN")
                lengths = (self._int(q_len) if q_len is not None else None, self._int(kv_len) if kv_len is not None else None)
                if None not in lengths:
                    record = ("mask", lengths)
        else:
            number = self._int(value)
            if number is not None:
                record = number
        self._frames[-1][name] = record

    def visit_Call(self, node: cst.Call) -> None:
        if self.qualified_name(node.func) != FLEX_ATTENTION:
            return
        mask_expr = argument(node, 4, "block_mask")
        q_expr, k_expr = argument(node, 0, "query"), argument(node, 1, "key")
        if not all(isinstance(e, cst.Name) for e in (mask_expr, q_expr, k_expr)):
            return
        mask, q, k = (self._lookup(e.value) for e in (mask_expr, q_expr, k_expr))
        if not (isinstance(mask, tuple) and mask[0] == "mask"):
            return
        q_len = q[1][-2] if isinstance(q, tuple) and q[0] == "tensor" else None
        k_len = k[1][-2] if isinstance(k, tuple) and k[0] == "tensor" else None
        mask_q, mask_kv = mask[1]
        if (q_len is not None and q_len != mask_q) or (k_len is not None and k_len != mask_kv):
            self.report(
                node, mask=mask_expr.value, mask_q=mask_q, mask_kv=mask_kv, q=q_expr.value,
                q_len=q_len if q_len is not None else "?", k=k_expr.value, k_len=k_len if k_len is not None else "?",
            )
