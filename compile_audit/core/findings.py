"""A finding: one place in one file where a rule (or Dynamo) says the graph breaks."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Literal, Optional

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")

# static: not run dynamically; confirmed / refuted / untraced / unreached: the verdict of
# --confirm (untraced: the line ran, but Dynamo did not trace it after an earlier break;
# unreached: no target ran it); dynamic: Dynamo broke where no rule predicted it.
Status = Literal["static", "confirmed", "refuted", "untraced", "unreached", "dynamic"]
STATUSES: tuple[Status, ...] = ("static", "confirmed", "refuted", "untraced", "unreached", "dynamic")


@dataclass(frozen=True)
class Span:
    """1-based lines and columns; ``end_column`` is exclusive as in ruff's output."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Fix:
    """That a fix exists for the finding, and whether ``--fix`` applies it without
    ``--unsafe-fixes``. The codemod itself is ``Finding.edit``."""

    safe: bool


#: code -> the rule class (``compile_audit.lint.rule.Rule``), set by ``compile_audit.lint.registry``
#: when it is imported: the registry sits above this module, so it registers itself here
_rule_of: Optional[Callable[[str], Optional[type]]] = None


def register_rule_lookup(lookup: Callable[[str], Optional[type]]) -> None:
    global _rule_of
    _rule_of = lookup


@dataclass(frozen=True)
class Impact:
    """What a finding costs. ``weight`` orders findings (higher costs more: a break that makes
    Dynamo skip a whole frame, a recompile on every call; least a break at a function's edge);
    ``why`` says it; ``measured``: from a run (``--confirm``), not predicted; ``targets``: how
    many audit targets hit it; ``rank`` (1 = costs most) is set once the run's findings are known
    (``rank_findings``)."""

    weight: int
    why: str
    measured: bool = False
    targets: int = 0
    rank: int = 0


def ranks(weights: Iterable[int]) -> dict[int, int]:
    """Weight -> rank: 1 for the highest, equal weights sharing a rank (1, 1, 3, ...)."""
    first: dict[int, int] = {}
    for position, weight in enumerate(sorted(weights, reverse=True), 1):
        first.setdefault(weight, position)
    return first


def rank_findings(findings: list) -> list:
    """The findings with ``impact.rank`` set (``ranks``); a finding without an impact ranks last."""
    first = ranks(f.impact.weight if f.impact is not None else -1 for f in findings)
    return [f.with_(impact=replace(f.impact if f.impact is not None else Impact(-1, ""),
                                   rank=first[f.impact.weight if f.impact is not None else -1]))
            for f in findings]


@dataclass
class Finding:
    code: str
    name: str
    severity: Severity
    path: str  # relative to the working directory, '/' separators
    span: Span
    message: str
    status: Status = "static"
    gb_code: Optional[str] = None
    target: Optional[str] = None
    fix: Optional[Fix] = None
    #: what the finding believes of a value, and why (also the end of ``message``, in parentheses)
    evidence: Optional[str] = None
    #: the codemod that fixes it (``compile_audit.lint.edits.Edit``): only on a finding fresh from the
    #: engine (``--fix``, the editor); never cached or serialised
    edit: Any = field(default=None, repr=False, compare=False)
    #: what Dynamo said of this place (a ``--confirm`` run or a stored verdict)
    dynamo: Optional[str] = None
    #: the verdict file the status was read from, when it was (shown path)
    verdict_file: Optional[str] = None
    #: what it costs (predicted by the static layer, measured by ``--confirm``)
    impact: Optional[Impact] = None

    @property
    def rule(self) -> Optional[type]:
        """The rule that made the finding, from its code (None for a code no rule has)."""
        return _rule_of(self.code) if _rule_of is not None else None

    @property
    def line(self) -> int:
        return self.span.line

    def with_(self, **changes) -> "Finding":
        """A copy with ``changes`` (stages annotate by returning new findings)."""
        return replace(self, **changes)

    def sort_key(self) -> tuple:
        return (self.path, self.span.line, self.span.column, self.code)


@dataclass
class FileError:
    """An input the scan could not read at all (as opposed to a file that does not parse,
    which is a CA901 finding)."""

    path: str
    message: str
    #: a path given on the command line that does not exist (said on stderr, as ruff does)
    missing: bool = False


def plural(count: int, noun: str) -> str:
    """``1 file``, ``2 files``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
