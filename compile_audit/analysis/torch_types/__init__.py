"""What torch's functions, tensor methods and ``nn`` layers return, per torch release.

The tables (``torch-<major.minor>.json``) are generated from torch's own stubs and annotations
by ``python -m compile_audit.maintain.torch_types``; the static layer reads them, it never
imports torch. ``TorchTypes.load(version)`` picks the table of that release, or the newest one
shipped when there is none for it (or no version is known).
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:  # pragma: no cover - the lookups that read nodes import libcst themselves
    import libcst as cst

HERE = Path(__file__).resolve().parent
# submodules whose every public function returns a Tensor (their stubs are not annotated)
TENSOR_MODULES = ("torch.linalg.", "torch.fft.", "torch.special.", "torch.nn.init.")


def _minor(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split("+")[0].split(".")[:2]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def available() -> list[str]:
    """The releases with a table, oldest first."""
    return sorted((p.stem[len("torch-"):] for p in HERE.glob("torch-*.json")), key=_minor)


class TorchTypes:
    def __init__(self, table: dict) -> None:
        self.version: str = table["torch"]
        #: the torch release the findings are for (None: not known, the newest proven is assumed)
        self.release: Optional[str] = None
        self.functions: dict = table["functions"]
        self.methods: dict = table["methods"]
        self.modules: dict = table["modules"]
        #: the names every ``nn.Module`` instance has from torch (methods, ``training``, ...)
        self.module_attributes: frozenset = frozenset(table.get("module_attributes", ()))
        #: every overload of the names whose overloads agree on the return kind (kept for
        #: their parameter types)
        self._overloads: dict = table.get("signatures", {})

    @staticmethod
    def load(version: Optional[str] = None) -> "TorchTypes":
        """The table for ``version`` (the torch release the findings are for), which it keeps as
        ``release``; the nearest table when none was generated from that release."""
        return _for_release(version)

    def function(self, qn: str, call: cst.Call) -> Optional[str]:
        """The kind ``qn(...)`` returns for this call's arguments; None when torch has no such
        function in the table."""
        entry = self.functions.get(qn)
        if entry is None and qn.startswith("torch.nn.functional."):
            entry = self.functions.get("torch." + qn[len("torch.nn.functional."):])
        if entry is None:
            if qn.startswith(TENSOR_MODULES) and qn.rsplit(".", 1)[1][:1].islower() and not qn.rsplit(".", 1)[1].startswith("_"):
                return "tensor"
            return None
        return _resolve(entry, call, method=False)

    def number_arguments(self, qn: str, call: cst.Call) -> list[cst.BaseExpression]:
        """The positional arguments of a call to ``qn`` that every overload types as a Python
        number (``torch.arange(j - i, j)``: both)."""
        entry = self.functions.get(qn)
        overloads = entry if isinstance(entry, list) else self._overloads.get(qn)
        if not overloads:
            return []
        positional = [a.value for a in call.args if a.keyword is None and not a.star]
        out = []
        for index, arg in enumerate(positional):
            taking = [o for o in overloads if index < len(o["pos"])]
            if taking and all(o["pos"][index] in o.get("numpos", ()) for o in taking):
                out.append(arg)
        return out

    def method(self, name: str, call: cst.Call) -> Optional[str]:
        entry = self.methods.get(name)
        if entry is None:
            return None
        return _resolve(entry, call, method=True)

    def layer(self, qn: str) -> Optional[str]:
        """For ``torch.nn.<Layer>``: what calling an instance returns; None if not a layer."""
        if qn.startswith("torch.nn.modules."):
            qn = "torch.nn." + qn.rsplit(".", 1)[1]
        return self.modules.get(qn)


def _pick(version: Optional[str]) -> str:
    """The table of ``version``'s minor release; else the newest one not newer than it; else the
    oldest (and the newest when no version is known)."""
    releases = available()
    if version:
        wanted = _minor(version)
        older = [r for r in releases if _minor(r) <= wanted]
        return older[-1] if older else releases[0]
    return releases[-1]


@lru_cache(maxsize=None)
def _for_release(version: Optional[str]) -> TorchTypes:
    table = _load(_pick(version))
    if version is None:
        return table
    view = copy.copy(table)
    view.release = version
    return view


@lru_cache(maxsize=None)
def _load(release: str) -> TorchTypes:
    return TorchTypes(json.loads((HERE / f"torch-{release}.json").read_text()))


def _resolve(entry, call: cst.Call, method: bool) -> str:
    import libcst as cst

    if isinstance(entry, str):
        return entry
    if any(a.star for a in call.args):
        return "unknown"
    positional_args = [a.value for a in call.args if a.keyword is None]
    positional = len(positional_args)
    keywords = {a.keyword.value for a in call.args if a.keyword is not None}
    kinds = set()
    for overload in entry:
        pos = overload["pos"]
        if positional > len(pos) and not overload["var"]:
            continue
        rest = set(pos[positional:]) | set(overload["kw"])
        if not keywords <= rest and not overload["varkw"]:
            continue
        supplied = positional + len(keywords & set(pos[positional:]))
        if supplied < overload["req"] or not set(overload.get("kwreq", ())) <= keywords:
            continue
        nones = overload.get("nonepos", ())
        if nones and any(
            name in nones and not (isinstance(arg, cst.Name) and arg.value == "None")
            for name, arg in zip(pos, positional_args)
        ):
            continue  # `x.size(0)` is not the `size(dim: None = None)` overload
        tensors = overload.get("tensorpos", ())
        if tensors and any(
            name in tensors and isinstance(arg, (cst.Integer, cst.Float))
            for name, arg in zip(pos, positional_args)
        ):
            continue  # `torch.max(x, 1)`: 1 is a dim, not the `other` tensor
        literals = overload.get("literals", {})
        if literals and any(
            a.keyword is not None and a.keyword.value in literals and isinstance(a.value, cst.Name)
            and a.value.value in ("True", "False") and a.value.value != literals[a.keyword.value]
            for a in call.args
        ):
            continue  # nonzero(as_tuple=True) is not the as_tuple: Literal[False] overload
        if literals and any(
            name in literals and literals[name] == "True" and name not in keywords for name in overload["kw"]
        ):
            continue  # as_tuple: Literal[True] must be passed for this overload
        kinds.add(overload["ret"])
    if len(kinds) == 1:
        return kinds.pop()
    if kinds and kinds <= {"tensor", "tensors"}:
        return "unknown"
    return "unknown"
