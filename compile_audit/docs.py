"""Rule pages, generated from the rules: ``docs/rules/CAnnn.md`` and ``compile-audit rule CODE``;
``docs/versions.md`` from the proof records; ``docs/coverage.md`` from the rules' ``gb_codes`` and the
graph-break registry snapshot (``compile_audit.coverage``).

Regenerate the committed pages with ``python -m compile_audit.docs`` (a test fails when they
are stale).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from compile_audit.coverage import coverage_page
from compile_audit.engine import lint_source
from compile_audit.proofs import WORDS, example_key, records, rule_behaviour, verdict_lines
from compile_audit.registry import all_rules
from compile_audit.rule import Rule

DOCS_URL = "https://github.com/compile-audit/compile-audit/blob/main/docs/rules/{code}.md"


#: the heading of the rule's "why" section, by its proof (rules without a proof: "Why it matters")
WHY_HEADINGS = {"fullgraph": "Why it breaks the graph", "default": "Why it breaks the graph", "eager": "Why it fails"}

#: what a proven rule's INVALID examples with an audit target do where the rule applies, by its proof
PROVEN = {
    "fullgraph": "break under `torch.compile(fullgraph=True)` at the flagged line",
    "default": "break at the flagged line in default mode and compile under `fullgraph=True`",
    "recompile": "compile, then recompile on their second call",
    "eager": "fail even without `torch.compile`",
    "none": "compile whole (the finding is not a graph break)",
}

#: the fix a rule offers, for the line under its title (``Rule.fix``)
FIX_WORDS = {
    "none": "none",
    "safe": "safe (`--fix`)",
    "unsafe": "unsafe (`--fix --unsafe-fixes`)",
    "sometimes-safe": "safe for some findings, unsafe for others (`--unsafe-fixes` for those)",
}

def proven_examples(rule: type[Rule]) -> tuple[list, list]:
    """The INVALID and VALID examples the proof runs (the ones with an audit target); none for a
    rule without a proof."""
    if rule.proof is None or rule.dynamic_only:
        return [], []
    return [e for e in rule.INVALID if e.target], [e for e in rule.VALID if e.target]


def _count(some: int, every: int) -> str:
    if some == every:
        return {1: "the one", 2: "both"}.get(every, f"all {every}")
    return f"{some} of {every}"


def rule_page(rule: type[Rule]) -> str:
    gb = ", ".join(rule.gb_codes) if rule.gb_codes else "none (no single Dynamo graph-break code)"
    if rule.dynamic_only:
        scope = "reported by the dynamic layer (`--confirm`, `verify`)"
    else:
        scope = "compiled code" if rule.scope == "compiled" else "whole file"
    invalid, valid = proven_examples(rule)
    parts = [
        f"# {rule.code}: {rule.name}",
        "",
        f"Severity: {rule.severity} · Scope: {scope} · Dynamo GB codes: {gb} · torch versions: "
        f"`{rule.torch_versions}` · Fix: {FIX_WORDS[rule.fix]}",
        "",
        "## What it does",
        "",
        rule.what,
        "",
        f"## {WHY_HEADINGS.get(rule.proof, 'Why it matters') if invalid else 'Why it matters'}",
        "",
        rule.why,
        "",
    ]
    if rule.verdict or invalid:
        parts += ["## Dynamo's verdict", ""]
        parts += [rule.verdict, ""] if rule.verdict else []
        if invalid:
            parts += _proof_section(rule, invalid, valid)
    if rule.EXAMPLE_RUN is not None:
        run = rule.EXAMPLE_RUN
        parts += ["## Example", ""]
        for name, code in run.sources():
            parts += [f"`{name}`:", "", "```python", code.rstrip(), "```", ""]
        parts += [f"`{run.command}` in their folder printed, on torch {run.torch} (a real run):", "",
                  "```text", run.text.rstrip(), "```", ""]
    if rule.INVALID:
        parts += ["## Example", "", "```python", rule.INVALID[0].source.rstrip(), "```", ""]
    if rule.VALID and not rule.dynamic_only:
        parts += ["## Use instead", "", "```python", rule.VALID[0].source.rstrip(), "```", ""]
    parts += ["## Fix safety", "", rule.fix_safety, ""]
    for example, safe in _fix_examples(rule):
        command = "`compile-audit scan --fix`" if safe else "`compile-audit scan --fix --unsafe-fixes`"
        parts += [
            f"{command} turns", "",
            "```python", example.source.rstrip(), "```", "", "into", "",
            "```python", example.fixed_source.rstrip(), "```", "",
        ]
    return "\n".join(parts)


def _proof_section(rule: type[Rule], invalid: list, valid: list) -> list[str]:
    """What the proof checks of the rule's examples, and what each proof record says they did."""
    counts = f"{_count(len(invalid), len(rule.INVALID))} INVALID"
    if valid:
        counts += f" and {_count(len(valid), len(rule.VALID))} VALID"
    text = (f"The proof runs the examples that have an audit target ({counts}) with `compile-audit verify`: "
            f"where the rule applies, "
            f"the INVALID ones {PROVEN[rule.proof]}")
    text += "; the VALID ones compile whole." if valid else "."
    lines = verdict_lines(rule)
    if lines:
        parts = [text + " What Dynamo did with the INVALID ones on each release a proof record holds "
                 "([versions](../versions.md); the test suite runs them again on the torch it runs on):", "",
                 *lines, ""]
    else:
        parts = [text + " No proof record holds what Dynamo did with them yet.", ""]
    narrowed = [e for e in invalid if e.torch]
    if narrowed:
        parts += ["Patterns Dynamo learned to trace: " + "; ".join(
            f"`{_flagged(e)}` is flagged only for torch `{e.torch}`" for e in narrowed) + ".", ""]
    if rule.proof == "recompile":
        parts += ["`--confirm` can only see a recompilation when the audit target makes a second call: give it "
                  "with `Target(fn, args=..., recompile_args=...)` (the second call's inputs; see "
                  "[docs/dynamic.md](../dynamic.md)).", ""]
    return parts


def _fix_examples(rule: type[Rule]) -> list[tuple]:
    """``(example, safe)`` for the first INVALID example with its fixed code; for a rule whose fix
    is safe for some findings and unsafe for others, the first of each kind."""
    fixed = [e for e in rule.INVALID if e.fixed is not None]
    if rule.fix == "none" or not fixed:
        return []
    if rule.fix != "sometimes-safe":
        return [(fixed[0], rule.fix == "safe")]
    by_kind: dict[bool, object] = {}
    for example in fixed:
        kinds = {f.fix.safe for f in lint_source(example.source, "example.py", [rule]).findings if f.fix is not None}
        if len(kinds) == 1:
            by_kind.setdefault(kinds.pop(), example)
    return [(by_kind[safe], safe) for safe in (True, False) if safe in by_kind]


def _flagged(example) -> str:
    line = example.source.splitlines()[example.line - 1].strip() if example.line else "?"
    return line if len(line) < 70 else line[:67] + "..."


def versions_page() -> str:
    """``docs/versions.md``: per rule and per release, what Dynamo did with its INVALID examples,
    and the fixtures' verdicts, from the committed proof records."""
    recs = records()
    primary = [r for r in recs if r.primary]
    others = [r for r in recs if not r.primary]
    lines = [
        "# What each torch release does with each rule's pattern",
        "",
        "Generated by `python -m compile_audit.docs` from the proof records in `compile_audit/proofs/`, each "
        "written by a real run (`python -m compile_audit.proofs.run --write`) of every rule example under that "
        "torch with `torch.compile(backend=\"eager\")` in both modes, and re-checked by the test suite on that "
        "release (`python3 dev.py test` on " + ", ".join(r.torch for r in primary[:1]) + ", `python3 dev.py matrix` "
        "on the others). A rule is on for a release when its range (`torch versions`) admits it; where only part of "
        "a rule's pattern changed, the rule follows the release the findings are for (`--target-torch`, "
        "`target-torch`, the installed torch, the project's pin; else the newest proven release).",
        "",
        "Behaviours: *breaks in both modes* (under `fullgraph=True` and by default), *breaks in default mode "
        "only* (`fullgraph=True` captures it), *compiles, recompiles on a second call*, *fails without compile*, "
        "*compiles whole*.",
        "",
        "## Rules on every proven release (CPU, backend eager)",
        "",
        "| Rule | Range | " + " | ".join(f"torch {r.torch}" for r in primary) + " |",
        "|---|---|" + "---|" * len(primary),
    ]
    for rule in all_rules():
        if rule.dynamic_only or not any(e.target for e in rule.INVALID):
            continue
        cells = []
        for record in primary:
            phrase = rule_behaviour(rule, record) or "-"
            if not rule.applies_to_torch(record.torch):
                phrase += " (rule off)"
            cells.append(phrase)
        lines.append(f"| [{rule.code}](rules/{rule.code}.md) {rule.name} | `{rule.torch_versions}` | " + " | ".join(cells) + " |")
    changed = _changed_examples(primary)
    lines += ["", "## Examples whose behaviour differs between releases", ""]
    if changed:
        lines += ["| Example | Flagged line | " + " | ".join(f"torch {r.torch}" for r in primary) + " | Flagged for |",
                  "|---|---|" + "---|" * len(primary) + "---|"]
        for rule, kind, index, example, cells in changed:
            lines.append(f"| {rule.code} {kind} {index} | `{_flagged(example)}` | " + " | ".join(cells)
                         + f" | `{example.torch or rule.torch_versions}` |")
    else:
        lines.append("None.")
    for record in others:
        lines += ["", f"## {record.name}, rules {', '.join(record.rules) or 'all'} (Python {record.python})", "",
                  "| Rule | Behaviour |", "|---|---|"]
        for rule in all_rules():
            if record.covers(rule.code) and not rule.dynamic_only:
                phrase = rule_behaviour(rule, record)
                if phrase:
                    lines.append(f"| [{rule.code}](rules/{rule.code}.md) {rule.name} | {phrase} |")
    fixtures = [r for r in recs if r.fixtures]
    if fixtures:
        lines += _fixture_table(fixtures, "targets", "The fixtures' audit targets (`fullgraph=True` verdict)", "Target")
        lines += _fixture_table(fixtures, "findings", "The fixtures' findings after `scan fixtures --confirm`", "Finding")
    return "\n".join(lines) + "\n"


def _fixture_table(fixtures, section: str, title: str, column: str) -> list[str]:
    """One table of the fixtures' ``section`` (target verdicts or finding statuses), a column per record."""
    keys = sorted({k for r in fixtures for k in r.fixtures.get(section, {})})
    lines = ["", f"## {title}", "", f"| {column} | " + " | ".join(r.name for r in fixtures) + " |",
             "|---|" + "---|" * len(fixtures)]
    for key in keys:
        lines.append(f"| `{key.removeprefix('fixtures/')}` | "
                     + " | ".join(r.fixtures.get(section, {}).get(key, "-") for r in fixtures) + " |")
    return lines


def _changed_examples(primary):
    out = []
    for rule in all_rules():
        for kind, examples in (("invalid", rule.INVALID), ("valid", rule.VALID)):
            for index, example in enumerate(examples):
                key = example_key(rule.code, kind, index)
                seen = [r.examples.get(key, {}).get("behaviour") for r in primary]
                if len({b for b in seen if b}) > 1:
                    out.append((rule, kind, index, example, [WORDS.get(b, "-") if b else "-" for b in seen]))
    return out


def rules_index() -> str:
    lines = ["# Rules", "", "Which of Dynamo's graph-break codes these rules predict, and why the others cannot be (or are "
             "not yet): [coverage](../coverage.md).", "",
             "| Code | Name | Severity | GB codes | Summary |", "|---|---|---|---|---|"]
    for rule in all_rules():
        summary = rule.what.split(". ")[0].rstrip(".")
        lines.append(
            f"| [{rule.code}]({rule.code}.md) | {rule.name} | {rule.severity} | "
            f"{', '.join(rule.gb_codes) or '-'} | {summary} |"
        )
    return "\n".join(lines) + "\n"


def expected_pages() -> dict[str, str]:
    pages = {f"{rule.code}.md": rule_page(rule) for rule in all_rules()}
    pages["README.md"] = rules_index()
    return pages


def write_versions(docs: Path) -> list[Path]:
    """``docs/versions.md`` and ``docs/coverage.md``, where they changed."""
    written = []
    for name, text in (("versions.md", versions_page()), ("coverage.md", coverage_page())):
        path = docs / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def write(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in expected_pages().items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def catalog_text() -> str:
    """``compile_audit/data/rules.json``: what selecting rules needs, without importing them."""
    from compile_audit.registry import catalog_entries

    return json.dumps(catalog_entries(all_rules()), indent=1) + "\n"


def write_catalog() -> list[Path]:
    from compile_audit.registry import CATALOG

    text = catalog_text()
    if CATALOG.exists() and CATALOG.read_text(encoding="utf-8") == text:
        return []
    CATALOG.write_text(text, encoding="utf-8")
    return [CATALOG]


if __name__ == "__main__":  # pragma: no cover
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "docs" / "rules"
    for path in [*write(target), *write_versions(target.parent), *write_catalog()]:
        print(f"wrote {path}")
