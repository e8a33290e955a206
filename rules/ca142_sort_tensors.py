from typing import Optional

import libcst as cst

from compile_audit.lint.rule import Invalid, Rule, Valid
from compile_audit.analysis.lattice import UNKNOWN, Value, join
from compile_audit.analysis.values import ValueModel

SORTS = frozenset({"builtins.sorted"})
MIN_MAX = frozenset({"builtins.min", "builtins.max"})


class SortTensors(Rule):
    code = "CA142"
    name = "sort-tensors"
    severity = "error"
    message = "{subject} in compiled code: {how} and breaks the graph ({gb})"
    what = (
        "Flags Python sorting over tensors inside compiled code: `sorted(...)` and `list.sort()` "
        "whose elements are tensors (or whose `key` returns a tensor), `sorted(t)` of a tensor, and "
        "`max(..., key=...)`/`min(..., key=...)` whose key returns a tensor (before torch 2.14: "
        "any `key=`/`default=` over tensor elements)."
    )
    why = (
        "Dynamo sorts and picks extrema in Python only among constants: it cannot order tensors "
        "(their values are not known while tracing), so `sorted`/`list.sort` over tensor elements "
        "or tensor keys break the graph (GB0207, 'sort with non-constant keys'), and `sorted(t)` of "
        "a tensor is not traceable at all (GB0059). `max`/`min` of tensors without `key=` become "
        "`torch.maximum`/`torch.minimum` and stay in the graph, but with `key=` Dynamo 2.13 has no "
        "handler when an element is not a constant (GB0193) and 2.14 refuses keys that are tensors "
        "(GB5687). Sorting Python numbers, strings or shapes is fine."
    )
    fix_safety = (
        "No automatic fix: stack the values and use tensor ops (`torch.stack(xs).sort()`, "
        "`torch.stack(xs)[torch.stack([k(x) for x in xs]).argmax()]`), or sort by a Python "
        "constant (a name, a shape)."
    )
    gb_codes = ("GB0207", "GB0193", "GB5687", "GB0059")
    verdict = (
        "torch 2.13 and 2.14: `sorted`/`list.sort` of tensors or by a tensor key break in both modes "
        "(GB0207); `max`/`min` with a tensor-valued key break in both modes (GB0193 on 2.13, GB5687 "
        "on 2.14). On 2.13 any `key=` over tensor elements breaks (GB0193), from 2.14 a constant key "
        "(`len`, a shape) compiles."
    )
    VALID = [
        Valid(
            """
            import torch

            class MultiScale(torch.nn.Module):
                def __init__(self, spec: str = "4,2,1"):
                    super().__init__()
                    self.scales = sorted(int(s) for s in spec.split(","))

                def forward(self, x):
                    largest = max(self.scales)
                    order = sorted(self.scales, reverse=True)
                    widest = max(x.shape[-1], largest)
                    return x * len(order) / widest
            """,
            target="MultiScale(), (torch.randn(2, 8),)",
        ),
        Valid(
            """
            import torch

            @torch.compile
            def clamp_pair(a, b):
                hi = max(a, b)  # tensors without key=: torch.maximum
                return hi - min([a, b])
            """,
            target="clamp_pair, (torch.tensor(0.3), torch.tensor(0.1))",
        ),
        Valid(
            """
            import torch

            @torch.compile
            def by_size(a: torch.Tensor, b: torch.Tensor, c: torch.Tensor):
                ordered = sorted([a, b, c], key=lambda t: t.numel())  # Python ints
                return ordered[0].sum() + ordered[-1].sum()
            """,
            target="by_size, (torch.randn(3), torch.randn(2), torch.randn(4))",
        ),
        Valid(
            """
            import torch
            from typing import Dict

            @torch.compile
            def merge(feats: Dict[str, torch.Tensor]):
                return sum(feats[k] for k in sorted(feats))  # sorted names
            """,
            target="merge, ({'b': torch.ones(2), 'a': torch.ones(2)},)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch

            @torch.compile
            def rank_losses(a, b, c):
                ordered = sorted([a, b, c])
                return ordered[0] + ordered[-1]
            """,
            line=5,
            target="rank_losses, (torch.tensor(0.3), torch.tensor(0.1), torch.tensor(0.2))",
        ),
        Invalid(
            """
            import torch

            @torch.compile
            def best_candidate(candidates):
                return max(candidates, key=lambda c: c.norm())
            """,
            line=5,
            target="best_candidate, ([torch.randn(3), torch.randn(3), torch.randn(3)],)",
        ),
        Invalid(
            """
            import torch
            from typing import List

            class Pick(torch.nn.Module):
                def forward(self, feats: List[torch.Tensor]):
                    feats.sort(key=lambda f: f.abs().sum())
                    return feats[0]
            """,
            line=6,
            target="Pick(), ([torch.randn(3), torch.randn(3)],)",
        ),
        Invalid(
            """
            import torch
            from typing import List

            @torch.compile
            def widest(xs: List[torch.Tensor]):
                return min(xs, key=lambda t: t.shape[0]).sum()
            """,
            line=6,
            target="widest, ([torch.randn(3), torch.randn(2)],)",
            torch="<2.14",
        ),
    ]

    # -- matching ------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        qualified = self.qualified_name(func)
        positional = [a.value for a in node.args if a.keyword is None and not a.star]
        if any(a.star for a in node.args):
            return
        key = self._keyword(node, "key")
        if qualified in SORTS and len(positional) == 1:
            self._sort(node, positional[0], key, "`sorted()`")
        elif (
            isinstance(func, cst.Attribute) and func.attr.value == "sort" and not positional
            and self.context.value(func.value).kind == "container"
        ):
            self._sort(node, None, key, "`list.sort()`", self.context.value(func.value))
        elif qualified in MIN_MAX and positional and (key is not None or self._keyword(node, "default") is not None):
            self._min_max(node, positional, key, qualified.split(".")[1])

    def _sort(self, node: cst.Call, iterable: Optional[cst.BaseExpression], key, name: str,
              value: Optional[Value] = None) -> None:
        if value is None:
            value = self.context.value(iterable)
        if value.is_tensor and not value.assumed:
            self.report(node, subject=f"{name} of a tensor", gb="GB0059",
                        how="Dynamo cannot iterate a tensor into a sorted Python list", evidence=value)
            return
        elem = ValueModel.element(value)
        if value.is_tensor and _absent(key):
            return  # an unannotated parameter: as likely a list of names as a tensor
        if _absent(key):
            if elem.is_tensor:
                self.report(node, subject=f"{name} of tensors", gb="GB0207",
                            how="Dynamo can only sort Python constants, not tensors whose values it does not know",
                            evidence=elem)
            return
        keyed = self._key_value(key, elem)
        if keyed.is_tensor:
            self.report(node, subject=f"{name} with a `key` that returns a tensor", gb="GB0207",
                        how="Dynamo can only sort by Python constants, not by tensors whose values it does not know",
                        evidence=keyed)

    def _min_max(self, node: cst.Call, positional: list, key, name: str) -> None:
        if len(positional) == 1:
            value = self.context.value(positional[0])
            elem = ValueModel.element(value)
            certain = not (value.is_tensor and value.assumed)
        else:
            elem = _join([self.context.value(p) for p in positional])
            certain = True
        keyed = UNKNOWN if _absent(key) else self._key_value(key, elem)
        old = self.on_torch("<2.14")
        gb = "GB0193" if old else "GB5687"
        if keyed.is_tensor:
            self.report(node, subject=f"`{name}(..., key=...)` with a key that returns a tensor", gb=gb,
                        how="Dynamo cannot compare tensor keys while tracing", evidence=keyed)
        elif old and certain and _holds_tensor(elem):
            self.report(node, subject=f"`{name}()` of tensors with `key=`/`default=`", gb=gb,
                        how="Dynamo 2.13 handles `key=`/`default=` only when every element is a Python constant",
                        evidence=elem if elem.is_tensor else None)

    # -- values --------------------------------------------------------------------------
    @staticmethod
    def _keyword(node: cst.Call, name: str) -> Optional[cst.BaseExpression]:
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == name:
                return arg.value
        return None

    def _key_value(self, key: cst.BaseExpression, elem: Value) -> Value:
        """What the ``key`` function returns for an element: a one-parameter lambda's body with
        the parameter bound to the element, or ``d.get`` of a dict of tensors."""
        if isinstance(key, cst.Lambda):
            params = key.params
            if len(params.params) != 1 or isinstance(params.star_arg, cst.Param) or params.kwonly_params or params.posonly_params:
                return UNKNOWN
            return self.context.value(key.body, {params.params[0].name.value: elem})
        if isinstance(key, cst.Attribute) and key.attr.value in ("get", "__getitem__"):
            owner = self.context.value(key.value)
            if owner.kind == "container" and owner.elem is not None:
                return owner.elem
        return UNKNOWN



def _absent(key: Optional[cst.BaseExpression]) -> bool:
    return key is None or (isinstance(key, cst.Name) and key.value == "None")


def _join(values: list) -> Value:
    out: Optional[Value] = None
    for v in values:
        out = v if out is None else join(out, v)
    return out or UNKNOWN


def _holds_tensor(value: Value) -> bool:
    """A tensor, or a tuple with a tensor among its items (``(score, t)`` pairs)."""
    if value.is_tensor:
        return True
    return value.kind == "container" and bool(value.items) and any(v.is_tensor for v in value.items)
