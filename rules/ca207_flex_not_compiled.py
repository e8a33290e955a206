import libcst as cst

from compile_audit.lint.edits import Edit
from compile_audit.analysis.paths import is_test_path
from compile_audit.lint.rule import Invalid, Rule, Valid
from compile_audit.analysis.torchapi import FLEX_ATTENTION
from compile_audit.rules._flex import QKV


class FlexNotCompiled(Rule):
    code = "CA207"
    name = "flex-not-compiled"
    severity = "warning"
    scope = "module"
    requires_text = r"flex_attention"
    proof = "none"
    message = (
        "`{name}` is called where nothing in the scanned project compiles it: run eagerly, FlexAttention uses an "
        "unfused path that materialises the full score matrix; use `torch.compile(flex_attention)` or "
        "compile the caller"
    )
    what = (
        "Flags calls of the raw `flex_attention` in functions nothing in the scanned project "
        "compiles explicitly (decorated with or passed to `torch.compile`, `model.compile()`, "
        "`torch.compile(Model(...))` in a script, a model that builds the caller's module as a "
        "layer, directly or through the calls that reach them), when the file also has no "
        "`name = torch.compile(flex_attention)`. Test files are skipped."
    )
    why = (
        "`flex_attention` only generates its fused kernel under `torch.compile`. Called eagerly, "
        "it warns 'flex_attention called without torch.compile() - this will use an unfused "
        "implementation that materializes the full scores matrix': memory grows with the "
        "square of the sequence length. A `forward` "
        "counts as not compiled unless something in the scanned files compiles it: scan the "
        "scripts that compile the model together with the model's package."
    )
    fix = "unsafe"
    fix_safety = (
        "Unsafe fix, when `flex_attention` is imported by name: `flex_attention = "
        "torch.compile(flex_attention)` is added after the import, so every call in the file uses "
        "the fused kernel. Unsafe because eager callers now compile (inductor) on first use, which "
        "takes time and can fail where inductor's kernel has limits (a head dimension under 16)."
    )
    gb_codes = ()
    verdict = (
        "torch 2.13 (CPU) and 2.11 (CUDA, inductor): compiles whole when compiled; eager calls take "
        "the slow unfused path and warn."
    )
    VALID = [
        Valid(
            """
            import torch
            from torch.nn.attention.flex_attention import flex_attention

            flex_attention = torch.compile(flex_attention)

            def attend(q, k, v):
                return flex_attention(q, k, v)
            """,
            target=f"Target(attend, args={QKV}, no_grad=True)",
        ),
        Valid(
            """
            import torch
            from torch.nn.attention.flex_attention import flex_attention

            class Attention(torch.nn.Module):
                def forward(self, q, k, v):
                    return flex_attention(q, k, v)

            def build():
                return torch.compile(Attention())
            """,
            target=f"Target(Attention(), args={QKV}, no_grad=True)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch
            from torch.nn.attention.flex_attention import flex_attention

            class Attention(torch.nn.Module):
                def forward(self, q, k, v):
                    return flex_attention(q, k, v)
            """,
            line=6,
            fixed="""
            import torch
            from torch.nn.attention.flex_attention import flex_attention
            flex_attention = torch.compile(flex_attention)

            class Attention(torch.nn.Module):
                def forward(self, q, k, v):
                    return flex_attention(q, k, v)
            """,
            target=f"Target(Attention(), args={QKV}, no_grad=True)",
        ),
        Invalid(
            """
            import torch
            import torch.nn.attention.flex_attention as fa

            def attend(q, k, v):
                return fa.flex_attention(q, k, v)
            """,
            line=5,
            target=f"Target(attend, args={QKV}, no_grad=True)",
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        if self.qualified_name(node.func) != FLEX_ATTENTION:
            return
        if is_test_path(self.context.path):
            return  # tests call flex_attention eagerly on purpose (reference outputs)
        scope = self.context.scope
        if isinstance(node.func, cst.Name) and node.func.value in scope.compiled_aliases:
            return
        if scope.explicitly_compiled(self.context.current_function):
            return
        self.report(node, name=self.source(node.func), fix=self._compile_import(node))

    def _compile_import(self, node: cst.Call):
        torch = self.context.torch_name()
        if torch is None or not isinstance(node.func, cst.Name):
            return None
        name = node.func.value
        for statement in self.context.module.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                    for alias in small.names:
                        local = alias.asname.name.value if alias.asname else alias.name.value
                        if local == name and len(statement.body) == 1:
                            compiled = cst.parse_statement(f"{name} = {torch}.compile({name})\n")
                            return Edit(safe=False, replacements={statement: cst.FlattenSentinel([statement, compiled])})
        return None
