"""The rule contract: metadata as data, a matcher as visit_* methods, examples beside them.

A rule is one small class in one module under ``rules/`` (installed as
``compile_audit.rules``). Like Fixit, it carries its VALID and INVALID examples; the tests and
the ``docs/rules/`` pages are generated from them, and the dynamic layer can run them. Like
ruff, its documentation has What it does / Why it breaks the graph / Example / Use instead /
Fix safety. The engine calls the ``visit_<Node>``/``leave_<Node>`` methods of every enabled
rule in one traversal of the file; a rule whose ``scope`` is ``"compiled"`` (the default) is
only called inside code that ``torch.compile`` will trace (see ``compile_audit.scope``).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal, Optional

import libcst as cst

from compile_audit.findings import Severity

if TYPE_CHECKING:  # pragma: no cover
    from compile_audit.context import FileContext


@dataclass(frozen=True)
class Example:
    """A complete module. INVALID examples name the 1-based ``line`` of the expected finding."""

    code: str
    line: Optional[int] = None

    @property
    def source(self) -> str:
        return textwrap.dedent(self.code).lstrip("\n")


def Valid(code: str) -> Example:  # noqa: N802 - reads like Fixit's Valid(...)
    return Example(code)


def Invalid(code: str, line: Optional[int] = None) -> Example:  # noqa: N802
    return Example(code, line)


class Rule:
    """Base class of every rule. Subclasses set the class attributes and visit_* methods."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = "error"
    #: ``str.format`` template; ``report(node, **fields)`` fills it.
    message: ClassVar[str]
    #: What it does (one paragraph).
    what: ClassVar[str]
    #: Why it breaks the graph.
    why: ClassVar[str]
    fix_safety: ClassVar[str] = "No automatic fix is offered."
    #: Dynamo's registry codes (``torch/_dynamo/graph_break_registry.json``).
    gb_codes: ClassVar[tuple[str, ...]] = ()
    #: The torch releases the rule applies to, as a specifier such as ``">=2.5"``.
    torch_versions: ClassVar[str] = ">=2.5"
    #: What torch 2.13 does with the pattern (a sentence for the rule's page).
    verdict: ClassVar[str] = ""
    #: "compiled": only inside traced code; "module": everywhere in the file.
    scope: ClassVar[Literal["compiled", "module"]] = "compiled"
    #: Reported by the dynamic layer only (no matcher, no INVALID examples).
    dynamic_only: ClassVar[bool] = False
    VALID: ClassVar[list[Example]] = []
    INVALID: ClassVar[list[Example]] = []

    def __init__(self, context: "FileContext") -> None:
        self.context = context

    def report(self, node: cst.CSTNode, message: Optional[str] = None, **fields: object) -> None:
        self.context.report(self, node, message if message is not None else self.message.format(**fields))

    # -- selection helpers -------------------------------------------------------------
    @classmethod
    def applies_to_torch(cls, version: Optional[str]) -> bool:
        """True when the rule applies to the given torch version (unknown: always)."""
        if version is None:
            return True
        return version_matches(version, cls.torch_versions)


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split("+")[0].split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
        if not piece.isdigit():
            break
    return tuple(parts)


def version_matches(version: str, spec: str) -> bool:
    """A small subset of PEP 440 specifiers (``>=``, ``<``, ``<=``, ``>``, ``==``, ``!=``,
    comma-separated), enough for torch release ranges, without depending on ``packaging``."""
    have = _version_tuple(version)
    for clause in filter(None, (c.strip() for c in spec.split(","))):
        for op in (">=", "<=", "==", "!=", ">", "<"):
            if clause.startswith(op):
                want = _version_tuple(clause[len(op) :].strip())
                break
        else:
            raise ValueError(f"bad torch version specifier {spec!r}")
        width = max(len(have), len(want))
        a = have + (0,) * (width - len(have))
        b = want + (0,) * (width - len(want))
        ok = {">=": a >= b, "<=": a <= b, "==": a == b, "!=": a != b, ">": a > b, "<": a < b}[op]
        if not ok:
            return False
    return True
