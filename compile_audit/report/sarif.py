"""``--output-format sarif``: SARIF 2.1.0 as GitHub code scanning reads it."""

from __future__ import annotations

import json
from typing import TextIO

from compile_audit import __version__
from compile_audit.core.baseline import fingerprints
from compile_audit.report.rule_page import DOCS_URL, rule_page
from compile_audit.lint.registry import all_rules

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _rule_descriptor(rule) -> dict:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.what.split(". ")[0].rstrip(".") + "."},
        "fullDescription": {"text": rule.why},
        "help": {"text": f"{rule.what}\n\n{rule.why}\n\nFix safety: {rule.fix_safety}", "markdown": rule_page(rule)},
        "helpUri": DOCS_URL.format(code=rule.code),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {
            "tags": ["torch.compile", {"1": "graph-break", "2": "flexattention", "3": "recompilation",
                                       "4": "performance", "9": "compile-audit"}[rule.code[2]]],
            "gb_codes": list(rule.gb_codes),
            "torch_versions": rule.torch_versions,
            "fix": rule.fix,
        },
    }


def to_document(result) -> dict:
    rules = list(all_rules())
    index = {rule.code: i for i, rule in enumerate(rules)}
    results = []
    for finding, fp in zip(result.findings, fingerprints(result.findings, result.sources)):
        span = finding.span
        properties = {"status": finding.status, "severity": finding.severity, "torch": result.torch_version}
        if finding.gb_code:
            properties["gb_code"] = finding.gb_code
        if finding.target:
            properties["target"] = finding.target
        if finding.dynamo:
            properties["dynamo"] = finding.dynamo
        if finding.fix is not None:
            properties["fix"] = "safe" if finding.fix.safe else "unsafe"
        if finding.impact is not None and finding.impact.rank:
            # what it costs: rank 1 costs most (``impact`` of the JSON report)
            properties["impact"] = {"rank": finding.impact.rank, "why": finding.impact.why,
                                    "measured": finding.impact.measured}
        entry = {
            "ruleId": finding.code,
            "level": LEVELS[finding.severity],
            "message": {"text": finding.message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": finding.path, "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": span.line, "startColumn": span.column,
                               "endLine": span.end_line, "endColumn": max(span.end_column, span.column + 1)},
                }
            }],
            "partialFingerprints": {"compileAudit/v1": fp},
            "properties": properties,
        }
        if finding.code in index:
            entry["ruleIndex"] = index[finding.code]
        if finding.status == "refuted":
            # Dynamo ran the line and did not break: SARIF's passing result, not a failure
            entry["kind"], entry["level"] = "pass", "none"
        results.append(entry)
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "compile-audit",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": "https://github.com/compile-audit/compile-audit",
                "rules": [_rule_descriptor(rule) for rule in rules],
            }},
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {"%SRCROOT%": {"uri": "./"}},
            "results": results,
            "invocations": [{
                "executionSuccessful": not result.errors,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": f"{e.path}: {e.message}"}} for e in result.errors
                ],
            }],
            "properties": _run_properties(result),
        }],
    }


def _run_properties(result) -> dict:
    """The release the verdicts are for: the static target (and its source) and, after
    --confirm/verify, the release the audit targets ran on."""
    from compile_audit.report.json_format import ran_or_installed

    properties = {"torch": ran_or_installed(result), "files": result.files}
    release = getattr(result, "release", None)
    if release is not None:
        properties["target_torch"] = release.version
        properties["target_torch_source"] = release.source
    if getattr(result, "dynamic", False):
        properties["dynamic_torch"] = result.torch_version
    return properties


def render(result, stream: TextIO, **options) -> None:
    json.dump(to_document(result), stream, indent=2)
    stream.write("\n")
