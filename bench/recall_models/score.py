#!/usr/bin/env python3
"""The static layer's recall on real model code: which of the lines where bare Dynamo broke
(``breaks.json``, made by ``collect.py``) compile-audit flags without running anything.

    python3 bench/recall_models/score.py              # scan each library, print the figures
    python3 bench/recall_models/score.py --misses     # also list every missed line with its reason
    python3 bench/recall_models/score.py --write      # also write results.json beside this file

Each library's package folder is scanned whole, as a user scans their project (``compile-audit
scan transformers``, from site-packages, default settings, the result cache on), so the project
index sees the shared modules model code calls. A break line counts as flagged when any finding
of a CA1xx/CA2xx/CA3xx rule sits on the same file and line (exact line: a finding one line away
is a miss). Recall is given per distinct line and weighted by how many models hit each line.
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))
from collect import PACKAGES, VENV, ensure_venv  # noqa: E402


def site_packages() -> Path:
    out = subprocess.run([str(VENV / "bin" / "python"), "-c", "import site; print(site.getsitepackages()[0])"],
                         check=True, capture_output=True, text=True)
    return Path(out.stdout.strip())


def scan(package: str, cwd: Path) -> set[tuple[str, int]]:
    """(path relative to site-packages, line) of every rule finding in one package."""
    command = [sys.executable, "-m", "compile_audit", "scan", package, "--output-format", "json", "--exit-zero"]
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"score: {' '.join(command)} failed ({done.returncode}): {done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    return {(f["path"], f["line"]) for f in report["findings"] if not f["code"].startswith("CA9")}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every missed line")
    parser.add_argument("--write", action="store_true", help="write results.json beside this file")
    parser.add_argument("--only", nargs="*", default=None, help="libraries to score (default: all)")
    args = parser.parse_args(argv)
    ensure_venv()
    reference = json.loads((HERE / "breaks.json").read_text())
    site = site_packages()
    libraries = sorted({entry["library"] for entry in reference["lines"]})
    if args.only:
        libraries = [lib for lib in libraries if lib in args.only]
    flagged: set[tuple[str, int]] = set()
    for library in libraries:
        for package in PACKAGES[library]:
            print(f"score: scanning {package}", file=sys.stderr, flush=True)
            flagged |= scan(package, site)
    per_library = collections.defaultdict(lambda: [0, 0, 0, 0])  # hit lines, lines, hit weight, weight
    misses = []
    for entry in reference["lines"]:
        if entry["library"] not in libraries:
            continue
        hit = (entry["file"], entry["line"]) in flagged
        weight = len(entry["models"])
        row = per_library[entry["library"]]
        row[0] += hit
        row[1] += 1
        row[2] += weight if hit else 0
        row[3] += weight
        if not hit:
            misses.append(entry)
    total = [sum(r[i] for r in per_library.values()) for i in range(4)]
    print(f"{'library':<26}{'lines flagged':>16}{'recall':>8}{'weighted':>10}")
    for library, row in sorted(per_library.items()) + [("all", total)]:
        print(f"{library:<26}{row[0]:>7} of {row[1]:<6}{row[0] / row[1]:>8.1%}{row[2] / row[3]:>10.1%}")
    by_reason = collections.Counter(entry["reason"] for entry in misses)
    print("\nmissed, by Dynamo's reason:")
    for reason, count in by_reason.most_common():
        print(f"{count:>5}  {reason}")
    if args.misses:
        print()
        for entry in sorted(misses, key=lambda e: (e["reason"], e["file"], e["line"])):
            source = (site / entry["file"]).read_text(encoding="utf-8", errors="replace").splitlines()
            text = source[entry["line"] - 1].strip() if entry["line"] <= len(source) else "?"
            print(f"{entry['file']}:{entry['line']}  [{entry['gb']}] {entry['reason']}\n      {text[:140]}")
    if args.write:
        results = {"torch": reference["torch"], "libraries": reference["libraries"],
                   "recall": {lib: {"flagged": r[0], "lines": r[1], "weighted": round(r[2] / r[3], 4)}
                              for lib, r in sorted(per_library.items()) + [("all", total)]},
                   "missed": [{k: e[k] for k in ("file", "line", "gb", "reason", "models")} for e in misses]}
        (HERE / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
