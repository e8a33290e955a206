import libcst as cst

from compile_audit.lint.edits import Edit
from compile_audit.lint.rule import Invalid, Rule, Valid
from compile_audit.analysis.torchapi import FLEX_ATTENTION, SDPA, argument
from compile_audit.analysis.walk import Visitor, walk

EXPANDERS = frozenset({"repeat_interleave", "expand", "repeat"})


class ManualGqaExpansion(Rule):
    code = "CA208"
    name = "manual-gqa-expansion"
    severity = "warning"
    scope = "module"
    requires_text = r"flex_attention|scaled_dot_product_attention"
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
        "the shared heads instead. It compiles; the cost is memory and bandwidth."
    )
    fix = "unsafe"
    fix_safety = (
        "Unsafe fix, applied to all of a call's expansions at once: `k = k.repeat_interleave(n, dim=1)` "
        "statements are removed (inline expansions replaced by the tensor) and `enable_gqa=True` is "
        "added to the attention call; `repeat_interleave` over heads is exactly the grouping "
        "`enable_gqa` uses, so the output is the same. Unsafe because code after the call that "
        "reads the expanded `k`/`v` (a cache, say) would now see the grouped tensors."
    )
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
            fixed="""
            import torch
            from torch.nn.attention.flex_attention import flex_attention

            def attend(q, k, v):
                groups = q.shape[1] // k.shape[1]
                return flex_attention(q, k, v, enable_gqa=True)
            """,
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
        # per function: name -> (expansion call, its statement when it is `name = name.expand...`)
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
        statement = self.context.enclosing(cst.SimpleStatementLine)
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                if call is not None:
                    same_name = isinstance(call.func.value, cst.Name) and call.func.value.value == target.target.value
                    removable = same_name and statement is not None and len(statement.body) == 1 and len(node.targets) == 1
                    self._expanded[-1][target.target.value] = (call, statement if removable else None)
                else:
                    self._expanded[-1].pop(target.target.value, None)

    def visit_Call(self, node: cst.Call) -> None:
        qualified = self.qualified_name(node.func)
        if qualified not in (FLEX_ATTENTION, SDPA):
            return
        if any(a.keyword is not None and a.keyword.value == "enable_gqa" for a in node.args):
            return
        attention = self.source(node.func)
        found = []  # (expansion call, replacement edits for it)
        fixable = True
        for index, keyword in ((1, "key"), (2, "value")):
            value = argument(node, index, keyword)
            if value is None:
                continue
            call = self._expansion(value)
            if call is not None:
                found.append((call, {call: call.func.value}))
            elif isinstance(value, cst.Name) and value.value in self._expanded[-1]:
                call, statement = self._expanded[-1][value.value]
                found.append((call, {statement: cst.RemoveFromParent()} if statement is not None else {}))
                fixable = fixable and statement is not None
        if not found:
            return
        fix = None
        statements = [st for _, edits in found for st in edits if isinstance(st, cst.SimpleStatementLine)]
        names = {self._target_name(st) for st in statements}
        if fixable and self._used_elsewhere(names, statements, node):
            fixable = False  # the expanded tensors feed other code too: keep them
        if fixable and all(c.func.attr.value == "repeat_interleave" for c, _ in found):
            replacements = {}
            for _, edits in found:
                replacements.update(edits)
            gqa = cst.Arg(keyword=cst.Name("enable_gqa"), value=cst.Name("True"),
                          equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")))
            args = list(node.args)
            if args:
                args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            new_call = node.with_changes(args=[*args, gqa])
            inline = {old: new for old, new in replacements.items() if not isinstance(new, cst.RemovalSentinel)}
            if inline:  # inline expansions live inside the call: rebuild the call from them
                new_call = new_call.visit(_Replace(inline))
                replacements = {k: v for k, v in replacements.items() if k not in inline}
            replacements[node] = new_call
            fix = Edit(safe=False, replacements=replacements)
        for call, _ in found:
            self.report(call, call=f".{call.func.attr.value}(...)", attention=attention, fix=fix)


    @staticmethod
    def _target_name(statement: cst.SimpleStatementLine) -> str:
        return statement.body[0].targets[0].target.value

    def _used_elsewhere(self, names: set, statements: list, call: cst.Call) -> bool:
        """Whether a name is read after its expansion anywhere but in ``call``."""
        func = self.context.current_function
        if func is None or not names:
            return False
        state = {"after": set(), "skip": 0, "used": False}

        class Reads(Visitor):
            def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine) -> None:
                if original_node in statements:
                    state["after"].add(ManualGqaExpansion._target_name(original_node))

            def visit_Call(self, node: cst.Call) -> None:
                if node is call:
                    state["skip"] += 1

            def leave_Call(self, original_node: cst.Call) -> None:
                if original_node is call:
                    state["skip"] -= 1

            def visit_AssignTarget(self, node: cst.AssignTarget) -> bool:
                return False

            def visit_Name(self, node: cst.Name) -> None:
                if not state["skip"] and node.value in state["after"]:
                    state["used"] = True

        walk(func.node.body, Reads())
        return state["used"]


class _Replace(cst.CSTTransformer):
    def __init__(self, mapping: dict) -> None:
        super().__init__()
        self.mapping = mapping

    def on_leave(self, original_node, updated_node):
        return self.mapping.get(original_node, updated_node)
