"""Rule pages, generated from the rules: ``docs/rules/CAnnn.md`` and ``compile-audit rule CODE``.

Regenerate the committed pages with ``python -m compile_audit.docs`` (a test fails when they
are stale).
"""

from __future__ import annotations

import sys
from pathlib import Path

from compile_audit.registry import all_rules
from compile_audit.rule import Rule

DOCS_URL = "https://github.com/compile-audit/compile-audit/blob/main/docs/rules/{code}.md"


def rule_page(rule: type[Rule]) -> str:
    gb = ", ".join(rule.gb_codes) if rule.gb_codes else "none (no single Dynamo graph-break code)"
    parts = [
        f"# {rule.code}: {rule.name}",
        "",
        f"Severity: {rule.severity} · Scope: {'compiled code' if rule.scope == 'compiled' else 'whole file'} · "
        f"Dynamo GB codes: {gb} · torch versions: `{rule.torch_versions}`",
        "",
        "## What it does",
        "",
        rule.what,
        "",
        "## Why it breaks the graph" if rule.proof in ("fullgraph", "default", "eager") else "## Why it matters",
        "",
        rule.why,
        "",
    ]
    if rule.verdict or not rule.dynamic_only:
        proven = {
            "fullgraph": "its INVALID examples break under `torch.compile(fullgraph=True)` at the flagged line",
            "default": "its INVALID examples break at the flagged line in default mode and compile under `fullgraph=True`",
            "recompile": "its INVALID examples compile but recompile on their second call",
            "eager": "its INVALID examples fail even without `torch.compile`",
            "none": "its INVALID examples compile whole (the finding is about dead code or performance)",
        }[rule.proof]
        parts += ["## Dynamo's verdict", "", rule.verdict, ""] if rule.verdict else []
        if not rule.dynamic_only:
            parts += [f"Proven by the test suite on torch 2.13 (`tests/test_rule_proofs.py`): {proven}; its VALID examples compile whole.", ""]
        if rule.proof == "recompile":
            parts += ["`--confirm` can only see a recompilation when the audit target makes a second call: give it "
                      "with `Target(fn, args=..., recompile_args=...)` (the second call's inputs; see "
                      "[docs/dynamic.md](../dynamic.md)).", ""]
    if rule.INVALID:
        parts += ["## Example", "", "```python", rule.INVALID[0].source.rstrip(), "```", ""]
    if rule.VALID:
        parts += ["## Use instead", "", "```python", rule.VALID[0].source.rstrip(), "```", ""]
    parts += ["## Fix safety", "", rule.fix_safety, ""]
    fixed = next((e for e in rule.INVALID if e.fixed is not None), None)
    if fixed is not None:
        parts += [
            "`compile-audit scan --fix` (add `--unsafe-fixes` for an unsafe fix) turns", "",
            "```python", fixed.source.rstrip(), "```", "", "into", "",
            "```python", fixed.fixed_source.rstrip(), "```", "",
        ]
    return "\n".join(parts)


def rules_index() -> str:
    lines = ["# Rules", "", "| Code | Name | Severity | GB codes | Summary |", "|---|---|---|---|---|"]
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


def write(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in expected_pages().items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "docs" / "rules"
    for path in write(target):
        print(f"wrote {path}")
