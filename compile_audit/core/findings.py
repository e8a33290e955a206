"""A finding: one place in one file where a rule (or Dynamo) says the graph breaks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Optional

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


@dataclass
class Fix:
    available: bool
    safe: bool


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
    # Extra facts for reporters (the source line, Dynamo's explanation, ...); not in the schema.
    details: dict = field(default_factory=dict)
    #: the rule that made the finding (a ``compile_audit.lint.rule.Rule`` subclass); never serialised
    rule: Optional[type] = field(default=None, repr=False, compare=False)

    @property
    def line(self) -> int:
        return self.span.line

    def sort_key(self) -> tuple:
        return (self.path, self.span.line, self.span.column, self.code)


@dataclass
class FileError:
    """An input the scan could not read at all (as opposed to a file that does not parse,
    which is a CA901 finding)."""

    path: str
    message: str


def plural(count: int, noun: str) -> str:
    """``1 file``, ``2 files``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
