"""``--output-format html``: one self-contained page (inline CSS, no script, no external font or
file) that opens from disk: each file with findings, its source with the findings marked by what
they cost (``Finding.impact``), and after ``--confirm`` each target's graphs as a strip (a box per
graph, as wide as its ops; a red cut where a break ended one), the frames Dynamo ran eagerly and
the recompiles with the guard that failed."""

from __future__ import annotations

import os
from html import escape
from typing import TextIO

from compile_audit import __version__
from compile_audit.report.json_format import ran_or_installed

CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#222;max-width:80em}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em}h3{font-size:1em;margin:1.2em 0 .3em}
.summary{color:#555}
table.src{border-collapse:collapse;font:12px/1.4 ui-monospace,monospace;width:100%}
table.src td{padding:0 .6em;white-space:pre;vertical-align:top}
td.n{color:#999;text-align:right;user-select:none;width:3em}
tr.hit td.code{font-weight:600}
tr.r1 td.code{background:#fdd}tr.r2 td.code{background:#fec}tr.r3 td.code{background:#ffb}
tr.note td{white-space:normal;font:12px/1.4 system-ui,sans-serif;padding:.2em .6em .5em 4.2em}
.finding{border-left:4px solid #c33;padding-left:.5em;margin:.2em 0}
.finding.r2{border-color:#e90}.finding.r3{border-color:#cb0}
.code-id{font-weight:700}.why{color:#555}
.strip{display:flex;align-items:stretch;height:1.8em;margin:.3em 0;max-width:60em}
.graph{background:#5a8;color:#fff;font-size:11px;display:flex;align-items:center;justify-content:center;
min-width:1.6em;overflow:hidden}
.cut{width:4px;background:#c33;margin:0 2px}
.eager{background:#bbb;color:#222;font-size:11px;padding:0 .6em;display:flex;align-items:center}
.target{margin-bottom:1.2em}.meta{color:#555;font-size:12px}
ul.guards{margin:.2em 0;font-size:12px}
"""

#: impact weight -> the band a finding is painted in (1: costs most)
def _band(finding) -> int:
    weight = finding.impact.weight if finding.impact is not None else 0
    return 1 if weight >= 60 else 2 if weight >= 30 else 3


def render(result, stream: TextIO, **options) -> None:
    out: list[str] = []
    torch_version = ran_or_installed(result)
    out.append("<!DOCTYPE html>")
    out.append('<html lang="en"><head><meta charset="utf-8">')
    out.append("<title>compile-audit report</title>")
    out.append(f"<style>{CSS}</style></head><body>")
    out.append("<h1>compile-audit report</h1>")
    n = len(result.findings)
    out.append(f'<p class="summary">compile-audit {escape(__version__)}, torch {escape(str(torch_version))}: '
               f"{n} finding{'' if n == 1 else 's'} in {len({f.path for f in result.findings})} of "
               f"{result.files} file{'' if result.files == 1 else 's'}.</p>")
    if getattr(result, "dynamic", False):
        out.append('<section id="targets"><h2>Audit targets</h2>')
        for target in result.targets:
            out.extend(_target(target))
        out.append("</section>")
    out.append('<section id="files"><h2>Findings by file</h2>')
    by_path: dict[str, list] = {}
    for finding in result.findings:
        by_path.setdefault(finding.path, []).append(finding)
    for path in sorted(by_path):
        out.extend(_file(path, by_path[path], result.sources.get(path, {})))
    out.append("</section></body></html>")
    stream.write("\n".join(out) + "\n")


def _target(target) -> list[str]:
    outcome = target.outcome
    metrics = outcome.metrics
    name = escape(target.ref.display)
    out = [f'<div class="target" data-target="{name}"><h3>{name}</h3>']
    failure = outcome.failure()
    verdict = outcome.strict.status if failure is None else f"failed ({failure})"
    out.append(f'<div class="meta">fullgraph=True: {escape(verdict)}; default-mode breaks: {len(outcome.breaks)}'
               + (f"; {metrics.graphs} graph{'' if metrics.graphs == 1 else 's'}" if metrics else "")
               + (f", {metrics.ops_in_graphs():.0%} of its ops in graphs" if metrics and metrics.ops_in_graphs()
                  is not None else "") + "</div>")
    if metrics is not None:
        total = sum(metrics.graph_ops) or 1
        strip = [f'<div class="strip" data-graphs="{metrics.graphs}">']
        for index, ops in enumerate(metrics.graph_ops):
            if index:
                strip.append('<span class="cut" title="graph break"></span>')
            strip.append(f'<span class="graph" data-ops="{ops}" style="flex:{max(ops, 1) / total:.3f}" '
                         f'title="graph {index + 1}: {ops} ops">{ops}</span>')
        for frame in metrics.frames_skipped:
            where = f"{os.path.basename(frame.file)}:{frame.line}"
            strip.append(f'<span class="eager" title="{escape(where)}">{escape(frame.function)} ran eagerly '
                         f"(a break in a loop)</span>")
        if not metrics.graph_ops and not metrics.frames_skipped:
            strip.append('<span class="eager">no graph</span>')
        strip.append("</div>")
        out.extend(strip)
    if outcome.breaks:
        out.append('<ul class="guards">' + "".join(
            f"<li>break: {escape(b.describe())}</li>" for b in outcome.breaks) + "</ul>")
    recompiles = outcome.recompiles
    if recompiles is not None and recompiles.count:
        out.append(f'<div class="meta">{recompiles.count} recompile{"" if recompiles.count == 1 else "s"} '
                   "on the second call; guards that failed:</div>")
        out.append('<ul class="guards">' + "".join(
            f"<li>{escape(r.reason)}</li>" for r in recompiles.reasons) + "</ul>")
    out.append("</div>")
    return out


def _file(path: str, findings: list, window: dict) -> list[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as stream:
            lines = dict(enumerate(stream.read().splitlines(), 1))
    except OSError:
        lines = dict(window)  # only the lines around the findings are known
    at: dict[int, list] = {}
    for finding in findings:
        at.setdefault(finding.span.line, []).append(finding)
    out = [f'<section class="file" data-path="{escape(path)}"><h3>{escape(path)}</h3><table class="src">']
    for number in sorted(lines):
        here = sorted(at.get(number, []), key=lambda f: f.impact.rank if f.impact else 0)
        css = f' class="hit r{min(_band(f) for f in here)}"' if here else ""
        out.append(f'<tr id="{escape(path)}-L{number}"{css}><td class="n">{number}</td>'
                   f'<td class="code">{escape(lines[number])}</td></tr>')
        if here:
            notes = "".join(_finding(f) for f in here)
            out.append(f'<tr class="note"><td colspan="2">{notes}</td></tr>')
    out.append("</table></section>")
    return out


def _finding(finding) -> str:
    impact = finding.impact
    rank = impact.rank if impact is not None else 0
    why = (f'<div class="why">impact (rank {rank}, {"measured" if impact.measured else "predicted"}): '
           f"{escape(impact.why)}</div>") if impact is not None and impact.why else ""
    status = "" if finding.status == "static" else f" ({escape(finding.status)})"
    return (f'<div class="finding r{_band(finding)}" data-code="{escape(finding.code)}" data-rank="{rank}" '
            f'data-line="{finding.span.line}"><span class="code-id">{escape(finding.code)}</span>{status} '
            f"{escape(finding.message)}{why}</div>")
