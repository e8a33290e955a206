import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid
from compile_audit.analysis.walk import descendants
from compile_audit.analysis.torchapi import CREATE_BLOCK_MASK, argument


def _names(node: cst.CSTNode) -> set:
    return {n.value for n in descendants(node) if isinstance(n, cst.Name)}


def _assigned(node: cst.CSTNode) -> set:
    """Names (re)bound anywhere in a loop body: they change between iterations."""
    out: set = set()
    for n in descendants(node):
        if isinstance(n, cst.AssignTarget):
            out |= _names(n.target)
        elif isinstance(n, (cst.AugAssign, cst.AnnAssign)):
            out |= _names(n.target)
        elif isinstance(n, cst.For):
            out |= _names(n.target)
        elif isinstance(n, cst.FunctionDef):
            out.add(n.name.value)
        elif isinstance(n, cst.NamedExpr):
            out |= _names(n.target)
    return out


def _free_names(func: cst.FunctionDef) -> set:
    params = {p.name.value for p in func.params.params} | {p.name.value for p in func.params.posonly_params}
    return _names(func.body) - params


class BlockMaskRebuilt(Rule):
    code = "CA206"
    name = "block-mask-rebuilt"
    severity = "warning"
    scope = "module"
    requires_text = r"create_block_mask"
    proof = "none"
    message = "`create_block_mask` {where}: {advice}"
    what = (
        "Flags `create_block_mask(...)` called inside compiled code (a `forward`, so once per layer "
        "and per call), or inside a loop whose variables its arguments do not use (the same mask "
        "rebuilt every iteration). Only masks whose `mask_mod` is known to read nothing but "
        "constants: a mod that reads tensors (document ids, padding, kept indices), names rebound "
        "in the loop, values of unknown type, or that cannot be resolved (a parameter) may change "
        "with the inputs, and building it per call is then right."
    )
    why = (
        "Building a block mask evaluates the `mask_mod` over every block of the sequence: it costs "
        "about as much as an attention call. The mask depends only on its `mask_mod` and the "
        "sequence lengths, so it should be built once per shape, outside the model, and passed to "
        "every layer. It compiles without a graph break on torch 2.13 and 2.14; the cost is time."
    )
    fix_safety = "No automatic fix: hoist the call out of the loop or the forward, or cache it by sequence length."
    gb_codes = ()
    verdict = "torch 2.13: no graph break; repeated work on every call."
    VALID = [
        Valid(
            """
            import torch
            from torch.nn.attention.flex_attention import create_block_mask, flex_attention

            flex_attention = torch.compile(flex_attention)

            def causal(b, h, q_idx, kv_idx):
                return q_idx >= kv_idx

            class Attention(torch.nn.Module):
                def forward(self, q, k, v, block_mask):
                    return flex_attention(q, k, v, block_mask=block_mask)

            def run(model, q, k, v, steps=3):
                block_mask = create_block_mask(causal, None, None, q.shape[-2], k.shape[-2], device=q.device)
                for _ in range(steps):
                    q = model(q, k, v, block_mask)
                return q
            """,
            target="Target(Attention(), args=(torch.randn(1, 2, 16, 16),) * 3 + (create_block_mask(causal, None, None, 16, 16, device=torch.get_default_device()),), no_grad=True)",
        ),
        Valid(
            """
            import torch
            from torch.nn.attention.flex_attention import create_block_mask

            def causal(b, h, q_idx, kv_idx):
                return q_idx >= kv_idx

            def masks_for(lengths):
                return [create_block_mask(causal, None, None, n, n, device="cpu") for n in lengths]

            def grow(max_len):
                masks = []
                for n in range(8, max_len, 8):
                    masks.append(create_block_mask(causal, None, None, n, n, device="cpu"))
                return masks
            """,
            target="grow, (24,)",
        ),
        Valid(
            """
            import torch
            from torch.nn.attention.flex_attention import create_block_mask, flex_attention

            flex_attention = torch.compile(flex_attention)

            def decode(q, k, v):
                for step in range(3):
                    offset = step * 4

                    def shifted(b, h, q_idx, kv_idx):
                        return q_idx + offset >= kv_idx

                    mask = create_block_mask(shifted, None, None, 16, 16, device=q.device)
                    q = flex_attention(q, k, v, block_mask=mask)
                return q
            """
        ),
        Valid(
            """
            import torch
            from torch.nn.attention.flex_attention import create_block_mask, flex_attention

            flex_attention = torch.compile(flex_attention)

            class DocumentAttention(torch.nn.Module):
                def forward(self, q, k, v, doc_ids):
                    def same_document(b, h, q_idx, kv_idx):
                        return doc_ids[q_idx] == doc_ids[kv_idx]

                    mask = create_block_mask(same_document, None, None, q.shape[-2], k.shape[-2], device=q.device)
                    return flex_attention(q, k, v, block_mask=mask)
            """
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch
            from torch.nn.attention.flex_attention import create_block_mask, flex_attention

            def causal(b, h, q_idx, kv_idx):
                return q_idx >= kv_idx

            class Attention(torch.nn.Module):
                def forward(self, q, k, v):
                    block_mask = create_block_mask(causal, None, None, q.shape[-2], k.shape[-2], device=q.device)
                    return flex_attention(q, k, v, block_mask=block_mask)
            """,
            line=9,
            target="Target(Attention(), args=(torch.randn(1, 2, 16, 16),) * 3, no_grad=True)",
        ),
        Invalid(
            """
            import torch
            from torch.nn.attention.flex_attention import create_block_mask, flex_attention

            def causal(b, h, q_idx, kv_idx):
                return q_idx >= kv_idx

            def decode(q, k, v, steps=3):
                device = q.device
                for _ in range(steps):
                    mask = create_block_mask(causal, None, None, 16, 16, device=device)
                    q = flex_attention(q, k, v, block_mask=mask)
                return q
            """,
            line=10,
            target="Target(decode, args=(torch.randn(1, 2, 16, 16),) * 3, no_grad=True)",
        ),
    ]

    def __init__(self, context) -> None:
        super().__init__(context)
        self._loops: list[set] = []

    def visit_For(self, node: cst.For) -> None:
        self._loops.append(_names(node.target) | _assigned(node.body))

    def leave_For(self, original_node: cst.For) -> None:
        self._loops.pop()

    def visit_While(self, node: cst.While) -> None:
        self._loops.append(_names(node.test) | _assigned(node.body))

    def leave_While(self, original_node: cst.While) -> None:
        self._loops.pop()

    def _mod_names(self, node: cst.Call) -> set:
        """The free names of the ``mask_mod`` (a closure, or the nested function a factory
        returns, and the factory's arguments)."""
        mod = argument(node, 0, "mask_mod")
        if mod is None:
            return set()
        names = _names(mod)
        for func in self.context.scope.functions_of(mod, self.context.current_function):
            names |= _free_names(func.node)
        return names

    def _depends_on_data(self, node: cst.Call) -> bool:
        """Whether the mask may change with the inputs (a ``mask_mod`` reading document ids, a
        padding mask, indices kept by random dropping ...): then building it per call is
        right. Only a mod known to read nothing but constants is advised to be hoisted: one
        that cannot be resolved (a parameter), or that reads values of unknown type, may
        depend on data."""
        mod = argument(node, 0, "mask_mod")
        if mod is None:
            return True
        scope = self.context.scope
        functions = scope.functions_of(mod, self.context.current_function)
        if not functions and not (isinstance(mod, cst.Name) and mod.value == "noop_mask"):
            return True
        if isinstance(mod, cst.Call) and any(not self._constant(a.value) for a in mod.args):
            return True
        return any(not self._constant(cst.Name(name)) for name in self._mod_names(node) if name not in ("True", "False", "None"))

    def _constant(self, expr: cst.BaseExpression) -> bool:
        value = self.context.value(expr)
        if value.is_tensor:
            return False
        if value.kind != "unknown":
            return True
        if isinstance(expr, cst.Name):
            scope = self.context.scope
            return (scope.imports.resolve(expr) is not None or expr.value in scope.module_functions
                    or expr.value in scope.classes or scope.lookup_function(expr.value, self.context.current_function) is not None)
        return False

    def visit_Call(self, node: cst.Call) -> None:
        if self.qualified_name(node.func) != CREATE_BLOCK_MASK:
            return
        if self._depends_on_data(node):
            return  # the mask changes with the inputs: building it per call is right
        if self.context.in_compiled:
            self.report(
                node, where="is called inside compiled code (every forward, every layer)",
                advice="build the mask once per sequence length outside the model and pass it in",
            )
        elif self._loops and not ((_names(node) | self._mod_names(node)) & set().union(*self._loops)):
            self.report(
                node, where="is rebuilt on every loop iteration with the same arguments",
                advice="build it once before the loop",
            )
