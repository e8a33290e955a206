"""``--output-format github``: GitHub Actions workflow annotations.

GitHub shows at most 10 annotations of each kind (error, warning, notice) per step, so the
output ends with a line counting them all, and when ``$GITHUB_STEP_SUMMARY`` is set the full
table is appended to the job summary.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import TextIO

KINDS = {"error": "error", "warning": "warning", "info": "notice"}
SHOWN_PER_KIND = 10


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _summary_table(result) -> str:
    rows = ["| | Code | Location | Status | Message |", "|---|---|---|---|---|"]
    for f in result.findings:
        message = f.message.replace("|", "\\|").replace("\n", " ")
        rows.append(f"| {f.severity} | {f.code} | `{f.path}:{f.span.line}:{f.span.column}` | {f.status} | {message} |")
    return "## compile-audit\n\n" + "\n".join(rows) + "\n"


def render(result, stream: TextIO, **options) -> None:
    counts: Counter = Counter()
    for f in result.findings:
        kind = "notice" if f.status == "refuted" else KINDS[f.severity]  # refuted: shown, not failing
        counts[kind] += 1
        title = f"{f.code} {f.name}" + (f" ({f.status})" if f.status != "static" else "")
        props = (
            f"file={escape_property(f.path)},line={f.span.line},col={f.span.column},"
            f"endLine={f.span.end_line},endColumn={f.span.end_column},title={escape_property(title)}"
        )
        stream.write(f"::{kind} {props}::{escape_data(f.message)}\n")
    for error in result.errors:
        stream.write(f"::error file={escape_property(error.path)}::{escape_data(error.message)}\n")
    total = len(result.findings)
    hidden = sum(max(0, n - SHOWN_PER_KIND) for n in counts.values())
    parts = ", ".join(f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in sorted(counts.items()))
    line = f"compile-audit: {total} finding{'s' if total != 1 else ''}" + (f" ({parts})" if parts else "")
    if hidden:
        line += f"; GitHub shows {SHOWN_PER_KIND} annotations of each kind per step, {hidden} more are in the job summary"
    stream.write(line + "\n")
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary and total:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(_summary_table(result))
