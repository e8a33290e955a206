"""Proof without hand-written targets, measured on real libraries: their findings' verdicts
from targets recorded out of README-style tests alone.

    python bench/record/measure.py [--repeat 3] [--libs x_transformers vit_pytorch]

For each library (pinned as in the precision corpus, sources installed into a cache folder):

1. a work folder holds a copy of its sources, the tests in ``bench/record/LIB/tests`` (its
   README's calls, tiny sizes, CPU) and a ``pyproject.toml`` with the precision corpus'
   settings (``bench/precision/scan.toml``);
2. the tests run once under a line tracer (``lines.py``): which findings sit in executed code;
3. ``python -m pytest tests`` and ``compile-audit record -- python -m pytest tests`` run
   alternated, ``--repeat`` times each: the record overhead (whole commands, the record
   command's static scan included: cold on its first run, from the cache on later ones);
4. ``compile-audit scan --confirm --no-synthesize``: the status of every finding, from the
   recorded targets alone;
5. ``bare.py``: each recorded call compiled by plain torch (``explain`` and ``fullgraph=True``),
   to check every verdict against Dynamo without the runner.

Writes ``bench/record/results.json`` and prints the table that docs/dynamic.md quotes.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CACHE = Path.home() / ".cache" / "compile-audit" / "record"
#: library -> its pinned requirement (as bench/precision/rescore.py pins it)
LIBRARIES = {"x_transformers": "x-transformers==2.31.10", "vit_pytorch": "vit-pytorch==1.26.11"}
#: what the libraries import, installed without their own dependencies (torch is the venv's)
DEPENDENCIES = ["einops==0.8.2", "einx==0.4.3", "loguru==0.7.3", "frozendict==2.5.1", "torch-einops-utils==0.2.0"]
VERDICT = ("confirmed", "refuted")


def _install() -> tuple[Path, Path]:
    libs, deps = CACHE / "libs", CACHE / "deps"
    for folder, requirements in ((libs, list(LIBRARIES.values())), (deps, DEPENDENCIES)):
        stamp = folder / ".requirements"
        if stamp.exists() and stamp.read_text() == "\n".join(requirements):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(folder),
                        *requirements], check=True)
        stamp.write_text("\n".join(requirements))
    return libs, deps


def _env(deps: Path, lib: str, **extra: str) -> dict:
    stubs = HERE / lib / "stubs"  # stand-ins for imports that cannot be installed here
    path = [str(deps), str(HERE), *([str(stubs)] if stubs.is_dir() else [])]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path), **extra}
    env.pop("PYTEST_ADDOPTS", None)
    return env


def _pytest() -> list[str]:
    return [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"]


def _cli() -> list[str]:
    return [sys.executable, "-m", "compile_audit"]


def _timed(argv: list[str], cwd: Path, env: dict) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed in {cwd}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return elapsed


def _statement(path: Path, line: int) -> tuple[int, int]:
    """The lines of the innermost simple statement holding ``line`` (Dynamo names any of them)."""
    best = (line, line)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.stmt) and not hasattr(node, "body") and node.lineno <= line <= node.end_lineno:
            best = (node.lineno, node.end_lineno)
    return best


def measure(lib: str, libs: Path, deps: Path, work: Path, repeat: int) -> dict:
    project = work / lib
    shutil.copytree(libs / lib, project / lib)
    shutil.copytree(HERE / lib / "tests", project / "tests")
    (project / "pyproject.toml").write_text((ROOT / "bench" / "precision" / "scan.toml").read_text())
    env = _env(deps, lib)

    # 2. the lines the tests execute
    lines_file = work / f"{lib}.lines.json"
    _timed([*_pytest(), "-p", "lines"], project, _env(deps, lib, LINES_ROOT=str(project / lib),
                                                      LINES_OUT=str(lines_file)))
    executed = {path: set(lines) for path, lines in json.loads(lines_file.read_text()).items()}

    # 3. the overhead, alternated
    cli_env = {**env, "PYTHONPATH": os.pathsep.join([str(ROOT), env["PYTHONPATH"]])}
    plain, recorded = [], []
    for _ in range(repeat):
        plain.append(_timed(_pytest(), project, env))
        recorded.append(_timed([*_cli(), "record", "--", *_pytest()], project, cli_env))
    index = [json.loads(line) for line in
             (project / ".compile_audit_cache" / "recordings" / "index.jsonl").read_text().splitlines() if line]

    # 4. the verdicts from the recorded targets alone
    proc = subprocess.run([*_cli(), "scan", "--confirm", "--no-synthesize", "--output-format", "json"],
                          cwd=project, env=cli_env, capture_output=True, text=True)
    document = json.loads(proc.stdout)

    # 5. the bare reference
    bare_file = work / f"{lib}.bare.json"
    subprocess.run([sys.executable, str(HERE / "bare.py"), str(project / ".compile_audit_cache" / "recordings"),
                    str(bare_file)], cwd=project, env=env, check=True, capture_output=True)
    bare = json.loads(bare_file.read_text())
    broke = {b for r in bare for b in r["breaks"]}
    broke |= {r["fullgraph"]["line"] for r in bare if isinstance(r["fullgraph"], dict) and r["fullgraph"]["line"]}

    findings = []
    for f in document["findings"]:
        path = str((project / f["path"]).resolve())
        first, last = _statement(Path(path), f["line"])
        at = {f"{path}:{line}" for line in range(first, last + 1)}
        ran = f["line"] in executed.get(path, set())
        entry = {"code": f["code"], "path": f["path"], "line": f["line"], "status": f["status"],
                 "executed": ran, "target": f.get("target")}
        if f["status"] in VERDICT:
            alone = "compiled alone" in (f.get("dynamo") or "")
            entry["evidence"] = "statement alone" if alone else "whole call"
            if alone:
                # the whole call never traced the line (an earlier break hid it): bare Dynamo must
                # break at the line the runner names as the hiding break, and the statement's own
                # verdict is the rule's proof (compile_audit/proofs)
                hider = re.search(r"after the break at (\S+?):(\d+)", f["dynamo"])
                hidden_at = f"{(project / hider.group(1)).resolve()}:{hider.group(2)}" if hider else None
                entry["bare"] = f"broke at the hiding line {hider.group(1)}:{hider.group(2)}" if hidden_at in broke \
                    else "no break at the hiding line"
                entry["agrees"] = hidden_at in broke
            else:
                entry["bare"] = "broke" if at & broke else "no break"
                entry["agrees"] = bool(at & broke) == (f["status"] == "confirmed")
        findings.append(entry)
    static = [f for f in findings if f["code"] not in ("CA902", "CA903", "CA904")]
    in_executed = [f for f in static if f["executed"]]
    with_verdict = [f for f in in_executed if f["status"] in VERDICT]
    return {
        "library": LIBRARIES[lib],
        "tests": len([line for line in (HERE / lib / "tests" / "test_readme.py").read_text().splitlines()
                      if line.startswith("def test_")]),
        "findings": len(static),
        "in_executed_code": len(in_executed),
        "with_verdict": len(with_verdict),
        "verdict_share": round(len(with_verdict) / len(in_executed), 3) if in_executed else None,
        "agree": sum(1 for f in with_verdict if f["agrees"]),
        "statement_alone": sum(1 for f in with_verdict if f["evidence"] == "statement alone"),
        "recorded_functions": len({e["key"] for e in index if "snapshot" in e}),
        "not_snapshotted": sorted({f"{e['key']}: {e['error']}" for e in index if "error" in e}),
        "plain_seconds": [round(t, 2) for t in plain],
        "record_seconds": [round(t, 2) for t in recorded],
        # the first record run scans the library cold; later ones find the scan in the cache
        "overhead_cold": round(recorded[0] / statistics.median(plain), 2),
        "overhead": round(statistics.median(recorded[1:] or recorded) / statistics.median(plain), 2),
        "unpredicted": [f for f in findings if f["code"] == "CA902"],
        "by_finding": static,
        "bare": bare,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--libs", nargs="+", default=list(LIBRARIES), choices=list(LIBRARIES))
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args(argv)
    import torch

    libs, deps = _install()
    results = {"torch": torch.__version__.split("+")[0], "python": sys.version.split()[0], "libraries": {}}
    with tempfile.TemporaryDirectory(prefix="compile-audit-record-") as tmp:
        work = Path(tmp)
        if args.keep:
            shutil.rmtree(args.keep, ignore_errors=True)
            args.keep.mkdir(parents=True)
            work = args.keep.resolve()
        for lib in args.libs:
            results["libraries"][lib] = measure(lib, libs, deps, work, args.repeat)
    args.out.write_text(json.dumps(results, indent=1) + "\n")
    print(f"torch {results['torch']}, CPU, backend eager")
    print("| library | findings | in code the tests run | with a verdict | of which statement alone "
          "| agree with bare Dynamo | record overhead (cold scan) |")
    print("|---|---|---|---|---|---|---|")
    for r in results["libraries"].values():
        print(f"| {r['library']} | {r['findings']} | {r['in_executed_code']} | {r['with_verdict']} "
              f"({r['verdict_share']:.0%}) | {r['statement_alone']} | {r['agree']} of {r['with_verdict']} "
              f"| {r['overhead']}x ({r['overhead_cold']}x) |")
        for f in r["by_finding"]:
            if f["executed"] and f["status"] not in VERDICT:
                print(f"    no verdict: {f['path']}:{f['line']} {f['code']} {f['status']}")
            if f.get("agrees") is False:
                print(f"    DISAGREES: {f['path']}:{f['line']} {f['code']} {f['status']}, bare: {f['bare']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
