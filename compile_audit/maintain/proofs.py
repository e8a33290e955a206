"""Run every rule example (and the bundled fixtures) under the installed torch and record what
Dynamo did: the proof record of this release.

    python -m compile_audit.maintain.proofs --write            # compile_audit/proofs/torch-<version>.json
    python -m compile_audit.maintain.proofs --rules CA2 --backend inductor --device cuda --out FILE

Each example with a ``target`` becomes a module; one ``compile-audit verify`` run compiles them
all in isolated workers (every rule's examples, also those of rules gated off on this release:
the record says what Dynamo does there, which is what decides the gate). The test suite uses the
same functions (``tests/test_rule_proofs.py``) and checks a fresh run against the record.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Optional, Sequence

from compile_audit.proofs import HERE, Record, example_key
from compile_audit.lint.registry import all_rules

ROOT = HERE.parent.parent


def cases(prefixes: Sequence[str] = ()) -> list[tuple]:
    """(rule, kind, index, example) for every example with a target."""
    out = []
    for rule in all_rules():
        if prefixes and not rule.code.startswith(tuple(prefixes)):
            continue
        for kind, examples in (("valid", rule.VALID), ("invalid", rule.INVALID)):
            for index, example in enumerate(examples):
                if example.target is not None:
                    out.append((rule, kind, index, example))
    return out


def module_name(rule, kind: str, index: int) -> str:
    return f"ex_{rule.code}_{kind}_{index}"


def build(folder: Path, selected: list[tuple]) -> None:
    """Write each example as a module and one ``audit_examples.py`` with a target per example."""
    audit = ["from compile_audit import Target\n"]
    for rule, kind, index, example in selected:
        name = module_name(rule, kind, index)
        (folder / f"{name}.py").write_text(example.source)
        audit.append(
            f"\ndef audit_{name}():\n    import {name} as m\n"
            f"    return eval({example.target!r}, dict(vars(m), Target=Target))\n"
        )
    (folder / "audit_examples.py").write_text("".join(audit))


def _compile_audit(args: list[str], cwd: Path, timeout: float) -> dict:
    proc = subprocess.run([sys.executable, "-m", "compile_audit", *args, "--output-format", "json"],
                          cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"compile-audit {' '.join(args)} exited {proc.returncode}: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def verify(folder: Path, jobs: int = 2, backend: str = "eager", device: str = "cpu",
           timeout: float = 120) -> dict:
    """The verify document's targets by example module name, and the torch they ran on."""
    document = _compile_audit(["verify", ".", "--jobs", str(jobs), "--timeout", str(timeout),
                               "--backend", backend, "--device", device], folder, 3600)
    return {t["target"].split("::audit_")[1]: t for t in document["targets"]}, document.get("torch")


def observe(target: dict, name: str) -> dict:
    """What Dynamo did with one example: its behaviour, the line ``fullgraph=True`` stopped at
    (in the example), the lines default mode broke at, and the GB code."""
    if target.get("error"):
        error = target["error"]
        return {"behaviour": "error", "detail": f"{error.get('kind')}: {str(error.get('message'))[:300]}"}
    if target.get("eager_error"):
        return {"behaviour": "eager", "exception": target["eager_error"].get("exception")}
    in_module = lambda frame: bool(frame) and str(frame.get("file", "")).endswith(f"{name}.py")  # noqa: E731
    default = sorted({b["frame"]["line"] for b in target.get("breaks") or [] if in_module(b.get("frame"))})
    verdict = target.get("fullgraph") or {}
    # a frame Dynamo did not give (placed on the last line it traced) proves no line
    strict = verdict.get("frame") if in_module(verdict.get("frame")) and not verdict.get("frame_inferred") else None
    recompiles = (target.get("recompiles") or {}).get("count", 0)
    # fullgraph=True stops at the example's line either way: a graph break, or a compile that
    # fails there (torch 2.14 raises InternalTorchDynamoError on `x[t.argmax()]`, where default
    # mode breaks)
    if verdict.get("status") == "break" or (verdict.get("status") == "error" and strict):
        return {"behaviour": "fullgraph", "line": strict["line"] if strict else None, "lines": default,
                "gb": verdict.get("gb_code")}
    if target.get("breaks"):
        return {"behaviour": "default", "lines": default, "gb": target["breaks"][0].get("gb_code")}
    if recompiles:
        return {"behaviour": "recompile"}
    return {"behaviour": "compiles"}


def agrees(observed: dict, behaviour: str, line: Optional[int]) -> Optional[str]:
    """None when ``observed`` is ``behaviour`` at ``line``; else what differs."""
    if observed["behaviour"] != behaviour:
        return f"expected {behaviour}, Dynamo: {observed}"
    if behaviour == "fullgraph" and line is not None:
        strict = observed.get("line")
        if strict is None and line not in observed.get("lines", []):
            return f"fullgraph=True broke with no user frame; default mode at {observed.get('lines')}, the rule flags {line}"
        if strict is not None and strict != line:
            return f"fullgraph=True broke at line {strict}, the rule flags {line}"
    if behaviour == "default" and line not in observed.get("lines", []):
        return f"default mode broke at {observed.get('lines')}, the rule flags {line}"
    return None


def fixtures(backend: str = "eager", device: str = "cpu", jobs: int = 2) -> dict:
    """``scan fixtures --confirm``: each target's verdict and each finding's status."""
    document = _compile_audit(["scan", "fixtures", "--confirm", "--no-cache", "--jobs", str(jobs),
                               "--backend", backend, "--device", device], ROOT, 3600)
    targets = {}
    for target in document.get("targets", []):
        targets[target["target"]] = verdict_text(target)
    findings = {}
    for finding in document["findings"]:
        findings[f"{finding['path']}:{finding['line']} {finding['code']}"] = finding["status"]
    return {"targets": dict(sorted(targets.items())), "findings": dict(sorted(findings.items()))}


def verdict_text(target: dict) -> str:
    if target.get("error"):
        return f"{target['error']['kind']} error"
    if target.get("eager_error"):
        return "fails without compile"
    verdict = target.get("fullgraph") or {}
    if verdict.get("status") == "break":
        return f"break {verdict.get('gb_code') or ''}".strip()
    return verdict.get("status", "?")


def record(prefixes: Sequence[str] = (), backend: str = "eager", device: str = "cpu", jobs: int = 2,
           with_fixtures: bool = True) -> Record:
    selected = cases(prefixes)
    with tempfile.TemporaryDirectory(prefix="compile-audit-proofs-") as tmp:
        folder = Path(tmp)
        build(folder, selected)
        targets, torch = verify(folder, jobs, backend, device)
    examples = {}
    for rule, kind, index, _example in selected:
        name = module_name(rule, kind, index)
        examples[example_key(rule.code, kind, index)] = observe(targets[name], name)
    result = Record(str(torch).split("+")[0], device, backend, platform.python_version(), list(prefixes), examples)
    if with_fixtures:
        result.fixtures = fixtures(backend, device, jobs)
    return result


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m compile_audit.maintain.proofs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rules", action="append", default=[], metavar="PREFIX", help="only these rule codes")
    parser.add_argument("--backend", default="eager")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-fixtures", action="store_true", help="do not run the fixtures")
    parser.add_argument("--fixtures-only", action="store_true",
                        help="run only the fixtures and keep the examples of the committed record for this torch")
    parser.add_argument("--write", action="store_true", help="write the record beside this module")
    parser.add_argument("--out", type=Path, help="write the record to this file")
    args = parser.parse_args(argv)
    if args.fixtures_only:
        import torch

        from compile_audit.proofs import record_for

        result = record_for(torch.__version__.split("+")[0], args.device, args.backend)
        if result is None:
            parser.error(f"no committed record for torch {torch.__version__} ({args.device}, {args.backend})")
        result.fixtures = fixtures(args.backend, args.device, args.jobs)
    else:
        result = record(args.rules, args.backend, args.device, args.jobs, not args.no_fixtures)
    out = args.out or (HERE / Record.file_name(result.torch, args.device, args.backend) if args.write else None)
    text = result.to_json()
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out}: {len(result.examples)} examples on {result.name}", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
