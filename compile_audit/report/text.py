"""Human output: one header line per finding (``path:line:col: CODE [severity] message``) and a
code frame of the offending lines, as ruff prints them. Colour only on a terminal (rich); into a
pipe or a file, without tables to draw, the same lines are written without importing rich (a
pre-commit hook's warm run pays for no renderer it does not use)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, TextIO

from compile_audit.core.findings import plural

if TYPE_CHECKING:  # pragma: no cover
    from rich.table import Table


class PlainText:
    """The part of ``rich.text.Text`` this module uses, for output without styles."""

    def __init__(self, text: str = "", style: str = "") -> None:
        self.plain = text

    def append(self, text, style: str = "") -> "PlainText":
        self.plain += str(text)
        return self

    def __str__(self) -> str:
        return self.plain.expandtabs(8)


class PlainConsole:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def print(self, *objects) -> None:
        self.stream.write(" ".join(str(o) for o in objects) + "\n")


#: the text class the helpers build lines with: rich's on a terminal, PlainText otherwise
Text = PlainText

SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}
STATUS_STYLE = {
    "confirmed": "bold red",
    "refuted": "green",
    "untraced": "magenta",
    "unreached": "dim",
    "dynamic": "bold magenta",
}


def _frame(finding, lines: dict[int, str]) -> list[Text]:
    span = finding.span
    numbers = sorted(n for n in lines if span.line - 1 <= n <= span.end_line + 1)
    if not numbers:
        return []
    width = len(str(numbers[-1]))
    out = [Text(" " * width + " |", style="blue")]
    for number in numbers:
        source = lines[number].expandtabs(4)
        row = Text(f"{number:>{width}} | ", style="blue")
        row.append(source)
        out.append(row)
        if span.line <= number <= span.end_line:
            start = span.column - 1 if number == span.line else len(source) - len(source.lstrip())
            end = span.end_column - 1 if number == span.end_line else len(source)
            end = max(end, start + 1)
            marker = Text(" " * width + " | ", style="blue")
            marker.append(" " * start + "^" * (end - start), style=SEVERITY_STYLE.get(finding.severity, "bold"))
            if number == span.end_line:
                marker.append(f" {finding.code}", style=SEVERITY_STYLE.get(finding.severity, "bold"))
            out.append(marker)
    out.append(Text(" " * width + " |", style="blue"))
    return out


def split_message(finding) -> tuple[str, str, str]:
    """A finding's message as a one-line headline, the detail for a ``help:`` line (why, and
    what to use instead) and the evidence for a ``note:`` line (what it believed of a value)."""
    message, note = finding.message, finding.evidence or ""
    if note and message.endswith(f" ({note})"):
        message = message[: -len(note) - 3]
    cut = _clause_end(message)
    if cut is None:
        return message, "", note
    return message[:cut], message[cut + 2:].strip(), note


def _clause_end(message: str):
    """Where the headline ends: the first ``: `` or ``; `` outside backticks and brackets."""
    depth, quoted = 0, False
    for i, ch in enumerate(message):
        if ch == "`":
            quoted = not quoted
        elif quoted:
            continue
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch in ":;" and depth == 0 and message[i + 1:i + 2] == " " and i >= 8:
            return i
    return None


def fixable(finding, unsafe_fixes: bool = False) -> bool:
    """Whether ``--fix`` (with ``--unsafe-fixes`` when given) would change this finding's code."""
    return finding.fix is not None and (finding.fix.safe or unsafe_fixes)


def render(result, stream: TextIO, statistics: bool = False, show_source: bool = True,
           unsafe_fixes: bool = False, **options) -> None:
    global Text
    is_tty = hasattr(stream, "isatty") and stream.isatty()
    if is_tty or getattr(result, "dynamic", False) or (statistics and result.findings):
        from rich.console import Console
        from rich.text import Text

        console = Console(file=stream, highlight=False, soft_wrap=True, emoji=False, width=None if is_tty else 160)
    else:
        Text, console = PlainText, PlainConsole(stream)
    heading = torch_heading(result)  # on clean runs too: which release "All checks passed" is for
    if heading:
        console.print(Text(heading, style="dim"))
    # --statistics: the table alone, as ruff prints it
    # within a file, what costs most first (``Finding.impact``), then by line
    ordered = sorted(result.findings, key=lambda f: (f.path, f.impact.rank if f.impact and f.impact.rank else 0,
                                                     f.span.line, f.span.column, f.code))
    for finding in ([] if statistics else ordered):
        header = Text()
        header.append(f"{finding.path}:{finding.span.line}:{finding.span.column}:", style="bold")
        header.append(" ")
        header.append(finding.code, style=SEVERITY_STYLE.get(finding.severity, "bold"))
        header.append(f" [{finding.severity}]")
        if fixable(finding, unsafe_fixes):
            header.append(" [*]", style="bold cyan")
        if finding.status != "static":
            header.append(" ")
            header.append(f"({finding.status})", style=STATUS_STYLE.get(finding.status, ""))
        short, detail, note = split_message(finding)
        header.append(f" {short}")
        console.print(header)
        if detail:
            console.print(Text("  help: ", style="bold cyan").append(detail, style=""))
        if note:
            console.print(Text("  note: ", style="bold").append(note, style=""))
        impact = finding.impact
        if impact is not None and impact.why and (impact.weight >= 60 or impact.measured):
            said = f"{'measured' if impact.measured else 'predicted'}, rank {impact.rank}"
            if impact.targets > 1:
                said += f", hit by {impact.targets} targets"
            console.print(Text("  impact: ", style="bold magenta").append(f"{impact.why} ({said})", style=""))
        if finding.status == "refuted":
            where = (f"a stored verdict ({finding.verdict_file})" if finding.verdict_file
                     else "a target ran this line under torch.compile and")
            console.print(Text(f"  = refuted: {where} Dynamo did not break there; it does not fail the check",
                               style="green"))
        if finding.dynamo:
            note = Text("  = dynamo: ", style="bold")
            note.append(finding.dynamo)
            if finding.target:
                note.append(f" [{finding.target}]", style="dim")
            console.print(note)
        elif finding.status == "dynamic" and finding.target:
            console.print(Text(f"  = target: {finding.target}", style="dim"))
        if show_source:
            for row in _frame(finding, result.sources.get(finding.path, {})):
                console.print(row)
            console.print()
    for error in result.errors:
        if not error.missing:  # a missing path was said on stderr
            console.print(Text(f"error: {error.path}: {error.message}", style="bold red"))
    if getattr(result, "dynamic", False):
        console.print()
        if is_tty and console.width >= TABLE_WIDTH:
            console.print(targets_table(result))
        else:
            for line in targets_blocks(result):
                console.print(Text(line))
    if statistics and result.findings:
        from rich.table import Table

        table = Table(title=None, show_edge=False, box=None)
        table.add_column("count", justify="right")
        table.add_column("code")
        table.add_column("name")
        counts = Counter((f.code, f.name) for f in result.findings)
        for (code, name), count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            table.add_row(str(count), code, name)
        console.print(table)
    console.print(_summary(result))
    safe = sum(1 for f in result.findings if fixable(f))
    hidden = sum(1 for f in result.findings if fixable(f, True)) - safe
    line = fixes_line(safe, hidden, unsafe_fixes)
    if line:
        console.print(Text(line))


def fixes_line(safe: int, hidden: int, unsafe_fixes: bool) -> str:
    """The last line, in ruff's words: what ``--fix`` would fix, and the fixes that need
    ``--unsafe-fixes`` ('' when there is nothing to fix)."""
    if unsafe_fixes:
        return f"[*] {safe + hidden} fixable with `--fix --unsafe-fixes`." if safe + hidden else ""
    more = (f" ({hidden} hidden {'fix' if hidden == 1 else 'fixes'} can be enabled with the `--unsafe-fixes` option)"
            if hidden else "")
    if safe:
        return f"[*] {safe} fixable with the `--fix` option{more}."
    return f"No fixes available{more}." if hidden else ""


def torch_heading(result) -> str:
    """Which torch release the verdicts are for (the static target; and the release the targets
    ran on, when the dynamic layer ran)."""
    release = getattr(result, "release", None)
    ran = result.torch_version if getattr(result, "dynamic", False) else None
    if release is None:
        return f"dynamic verdicts from torch {ran}" if ran else ""
    text = f"compile-audit: {release.describe()}"
    if ran and ran != release.version:
        text += f"; the audit targets ran on torch {ran}"
    return text


def _verdict(outcome) -> str:
    """A target's verdict in a few words, from the one answer to "did it fail"."""
    failure = outcome.failure()
    if failure == "error":
        return f"{outcome.error.kind} error"
    if failure == "eager":
        return "fails without compile"
    strict = outcome.strict
    if strict.status == "break" and strict.brk is not None:
        return f"break {strict.brk.gb_code or ''}".strip()
    return strict.status


def _targets_title(result) -> str:
    title = f"audit targets: torch {result.torch_version}, backend={result.backend}, device={result.device}"
    if result.torch_version:
        from compile_audit.proofs import proven_releases

        proven = proven_releases()
        if proven and result.torch_version not in proven:
            title += (f" (not a release the rules are proven on: {', '.join(proven)}; Dynamo's breaks are real, "
                      "the rules' verdicts are extrapolated)")
    return title


#: the narrowest terminal the targets table keeps every column in (narrower: one block per target)
TABLE_WIDTH = 110
TARGET_COLUMNS = ("fullgraph=True", "default-mode breaks", "graphs", "lines traced", "ran untraced", "seconds")


def _graphs(outcome) -> str:
    """What the compiled call made of the target, compactly: ``2 (3+1 ops) 80%`` (the share of
    its ops that ran in graphs), ``0, forward ran eagerly``, ``..., 1 recompile``."""
    metrics = outcome.metrics
    if metrics is None:
        return "-"
    text = f"{metrics.graphs}{metrics.ops_text(most=4)}"
    share = metrics.ops_in_graphs()
    if share is not None and metrics.graph_ops:
        text += f" {share:.0%}"
    if metrics.frames_skipped:
        text += f", {', '.join(f.function for f in metrics.frames_skipped[:2])} ran eagerly"
    if outcome.recompiles is not None and outcome.recompiles.count:
        text += f", {plural(outcome.recompiles.count, 'recompile')}"
    return text


def _target_row(target) -> tuple[str, ...]:
    outcome = target.outcome
    failed = outcome.error is not None
    breaks = "-" if failed else str(len(outcome.breaks))
    lines = "-" if failed else str(outcome.lines_traced())
    untraced = "-" if failed else str(len(outcome.hidden))
    return (_verdict(outcome), breaks, "-" if failed else _graphs(outcome), lines, untraced, f"{outcome.seconds:.2f}")


def targets_table(result) -> "Table":
    """The targets on a terminal: a table whose name column wraps (every other column keeps its
    width, however long the names)."""
    from rich.table import Table

    table = Table(title=_targets_title(result), title_justify="left", box=None)
    table.add_column("target", overflow="fold", min_width=12, ratio=1)
    for name in TARGET_COLUMNS:
        table.add_column(name, justify="left" if name == "fullgraph=True" else "right", no_wrap=True,
                         min_width=len(name) if name != "fullgraph=True" else None)
    from rich.text import Text as RichText

    for target in result.targets:
        # a Text, not markup: a parametrized test id's "[bf16-cpu]" is part of the name
        table.add_row(RichText(target.ref.display), *_target_row(target))
    return table


def targets_blocks(result) -> list[str]:
    """The targets in a log (no terminal): one block per target, its name whole on its own line
    and every column named on the next, so nothing is cut whatever the names' length."""
    lines = [_targets_title(result)]
    for target in result.targets:
        lines.append(f"  {target.ref.display}")
        lines.append("      " + " · ".join(f"{name}: {value}" for name, value in zip(TARGET_COLUMNS,
                                                                                   _target_row(target))))
    return lines


def _summary(result) -> Text:
    n = len(result.findings)
    refuted = sum(1 for f in result.findings if f.status == "refuted")
    if n == refuted:
        text = Text(f"All checks passed ({plural(result.files, 'file')} scanned).", style="bold green")
        if refuted:
            text.append(f" {refuted} static {'finding was' if refuted == 1 else 'findings were'} refuted by "
                        "Dynamo and do not fail the check.", style="green")
        return text
    severities = Counter(f.severity for f in result.findings if f.status != "refuted")
    parts = ", ".join(plural(count, sev) for sev, count in severities.most_common())
    files = len({f.path for f in result.findings})
    text = Text(f"Found {plural(n - refuted, 'finding')} ({parts}) in {files} of {plural(result.files, 'file')}.",
                style="bold")
    if refuted:
        text.append(f" {refuted} more refuted by Dynamo (shown, not failing).", style="green")
    return text
