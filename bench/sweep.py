#!/usr/bin/env python3
"""Robustness sweep: scan every .py file of the installed torch and of a pinned transformers
release; report files, findings per rule, unparseable files (CA901, with reasons), internal
errors and time.

    python bench/sweep.py [--jobs 2]

A sample of the torch part runs in the test suite (tests/test_robustness.py).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

TRANSFORMERS = "transformers==4.46.3"


def transformers_tree(folder: Path) -> Path:
    target = folder / "transformers-full"
    if not target.exists():
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", TRANSFORMERS, "-d", tmp],
                           check=True)
            wheel = next(Path(tmp).glob("transformers-*.whl"))
            with zipfile.ZipFile(wheel) as archive:
                archive.extractall(Path(tmp) / "unpacked")
            (Path(tmp) / "unpacked" / "transformers").rename(target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", default="2")
    parser.add_argument("--only", choices=("torch", "transformers"), help="sweep one tree")
    args = parser.parse_args()
    cache = Path(__file__).resolve().parent / ".corpus"
    cache.mkdir(exist_ok=True)
    trees = {
        "torch 2.13.0": Path(importlib.util.find_spec("torch").origin).parent,
        TRANSFORMERS: transformers_tree(cache),
    }
    for label, tree in trees.items():
        if args.only and not label.startswith(args.only):
            continue
        start = time.perf_counter()
        with tempfile.TemporaryDirectory() as work:
            proc = subprocess.run(
                [sys.executable, "-m", "compile_audit", "scan", str(tree), "--no-cache", "--jobs", args.jobs,
                 "--output-format", "json", "--exit-zero"],
                cwd=work, capture_output=True, text=True,
            )
        elapsed = time.perf_counter() - start
        internal = proc.returncode not in (0, 1) or "Traceback" in proc.stderr or "internal error" in proc.stderr
        document = json.loads(proc.stdout) if proc.stdout.strip() else {"findings": [], "errors": [], "summary": {}}
        per_rule = Counter(f["code"] for f in document["findings"])
        lines = sum(p.read_bytes().count(b"\n") for p in tree.rglob("*.py"))
        print(f"## {label}: {document['summary'].get('files')} files, {lines} lines, {elapsed:.1f} s "
              f"(--jobs {args.jobs}), exit {proc.returncode}, internal errors: {'YES' if internal else 0}")
        print("findings per rule: " + ", ".join(f"{code} {n}" for code, n in sorted(per_rule.items())))
        for finding in document["findings"]:
            if finding["code"] == "CA901":
                print(f"  CA901 {finding['path']}:{finding['line']}: {finding['message']}")
        for error in document["errors"]:
            print(f"  error {error['path']}: {error['message']}")
        if internal:
            print(proc.stderr[-3000:])


if __name__ == "__main__":
    main()
