"""A rule's page: ``compile-audit rule CODE``, the SARIF help and the editor's hover link; also
what ``python -m compile_audit.maintain.docs`` writes to ``docs/rules/CAnnn.md``. It reads the rule and
the proof records only: rendering a page never runs the linter."""

from __future__ import annotations

from compile_audit.lint.rule import Rule
from compile_audit.proofs import verdict_lines

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
            f"`{flagged_line(e)}` is flagged only for torch `{e.torch}`" for e in narrowed) + ".", ""]
    if rule.proof == "recompile":
        parts += ["`--confirm` can only see a recompilation when the audit target makes a second call: give it "
                  "with `Target(fn, args=..., recompile_args=...)` (the second call's inputs; see "
                  "[docs/dynamic.md](../dynamic.md)).", ""]
    return parts


def _fix_examples(rule: type[Rule]) -> list[tuple]:
    """``(example, safe)`` for the first INVALID example with its fixed code; for a rule whose fix
    is safe for some findings and unsafe for others, the first of each kind (its examples say which
    kind they show, ``Example.fix_safe``; ``tests/test_fixes.py`` checks it against the linter)."""
    fixed = [e for e in rule.INVALID if e.fixed is not None]
    if rule.fix == "none" or not fixed:
        return []
    if rule.fix != "sometimes-safe":
        return [(fixed[0], rule.fix == "safe")]
    by_kind: dict[bool, object] = {}
    for example in fixed:
        if example.fix_safe is not None:
            by_kind.setdefault(example.fix_safe, example)
    return [(by_kind[safe], safe) for safe in (True, False) if safe in by_kind]


def flagged_line(example) -> str:
    line = example.source.splitlines()[example.line - 1].strip() if example.line else "?"
    return line if len(line) < 70 else line[:67] + "..."
