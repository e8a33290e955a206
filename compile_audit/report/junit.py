"""``--output-format junit``: one test suite per file with findings, one failing test case per
finding (as ruff writes it), and a passing case for a clean run."""

from __future__ import annotations

from collections import defaultdict
from typing import TextIO
from xml.etree import ElementTree as ET


def render(result, stream: TextIO, **options) -> None:
    by_path = defaultdict(list)
    for f in result.findings:
        by_path[f.path].append(f)
    failing = [f for f in result.findings if f.status != "refuted"]
    root = ET.Element("testsuites", name="compile-audit", tests=str(max(1, len(result.findings))),
                      failures=str(len(failing)), errors=str(len(result.errors)))
    for path, findings in sorted(by_path.items()):
        failed = sum(1 for f in findings if f.status != "refuted")
        suite = ET.SubElement(root, "testsuite", name=path, tests=str(len(findings)), failures=str(failed))
        for f in findings:
            case = ET.SubElement(suite, "testcase", name=f"{f.code} {f.name} at {f.span.line}:{f.span.column}",
                                 classname=path.replace("/", ".").removesuffix(".py"), file=path, line=str(f.span.line))
            if f.status == "refuted":  # Dynamo ran the line and did not break: a passing case
                ET.SubElement(case, "system-out").text = f"refuted by Dynamo: {f.message}"
                continue
            failure = ET.SubElement(case, "failure", message=f.message, type=f.code)
            failure.text = f"{path}:{f.span.line}:{f.span.column}: {f.code} [{f.severity}] ({f.status}) {f.message}"
    if result.errors:
        suite = ET.SubElement(root, "testsuite", name="compile-audit errors", tests=str(len(result.errors)),
                              errors=str(len(result.errors)))
        for e in result.errors:
            case = ET.SubElement(suite, "testcase", name=e.path, classname="compile-audit")
            ET.SubElement(case, "error", message=e.message)
    if not result.findings and not result.errors:
        suite = ET.SubElement(root, "testsuite", name="compile-audit", tests="1", failures="0")
        ET.SubElement(suite, "testcase", name=f"{result.files} files scanned", classname="compile-audit")
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
