"""`record` on real libraries' own test suites (not tests written for the measurement): what it
costs against the suite alone, and how many findings get a verdict from the recorded calls.

    python bench/record/own_suites.py [--repeat 1] [--libs x_transformers vit_pytorch]

For each library, the source distribution of a release that ships its tests is unpacked into a
work folder with the precision corpus' settings (``bench/precision/scan.toml``); then:

1. ``compile-audit record -- python -m pytest tests`` once, to warm the static scan's cache;
2. ``python -m pytest tests`` and the same under ``record``, alternated, ``--repeat`` times:
   the overhead, warm (medians);
3. ``compile-audit scan --confirm --no-synthesize``: every finding's status from the recorded
   calls alone, and for each finding no target reached, whether its line ran during the
   recorded command ("ran, not recorded") or never ran ("never ran").

Writes ``bench/record/own_suites.json`` and prints the table docs/dynamic.md quotes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
from measure import CACHE, _env, _install  # noqa: E402 - the shared harness

#: library -> the release whose source distribution ships its own tests
RELEASES = {"x_transformers": "x-transformers==2.3.1", "vit_pytorch": "vit-pytorch==1.26.11"}
VERDICT = ("confirmed", "refuted")


def _sdist(requirement: str) -> Path:
    folder = CACHE / "sdists"
    folder.mkdir(parents=True, exist_ok=True)
    name, version = requirement.split("==")
    found = [p for p in folder.glob("*.tar.gz") if p.name.replace("-", "_").startswith(f"{name.replace('-', '_')}_{version}")
             or p.name.startswith(f"{name}-{version}")]
    if not found:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                        requirement, "-d", str(folder)], check=True)
        found = [p for p in folder.glob("*.tar.gz") if version in p.name and name.replace("-", "_") in
                 p.name.replace("-", "_")]
    return found[0]


def _timed(argv: list[str], cwd: Path, env: dict) -> tuple[float, int]:
    """Seconds and exit code: a real suite may have tests that fail here (a CPU without
    FlexAttention's eager path), and `record` keeps the suite's own exit code, so both runs
    must end the same way, not necessarily with 0."""
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    return time.perf_counter() - start, proc.returncode


def measure(lib: str, deps: Path, work: Path, repeat: int) -> dict:
    archive = _sdist(RELEASES[lib])
    with tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
    unpacked = next(p for p in work.iterdir() if p.is_dir() and p.name.replace("-", "_").startswith(lib))
    project = work / f"{lib}-project"
    project.mkdir()
    shutil.copytree(unpacked / lib, project / lib)
    shutil.copytree(unpacked / "tests", project / "tests", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (project / "pyproject.toml").write_text((ROOT / "bench" / "precision" / "scan.toml").read_text())
    env = _env(deps, lib)
    cli_env = {**env, "PYTHONPATH": os.pathsep.join([str(ROOT), env["PYTHONPATH"]])}
    pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:asyncio", "tests"]
    record = [sys.executable, "-m", "compile_audit", "record", "--", *pytest]
    cold, _ = _timed(record, project, cli_env)  # warms the scan's cache
    plain, recorded, codes = [], [], set()
    for _ in range(repeat):
        seconds, code = _timed(pytest, project, env)
        plain.append(seconds)
        seconds, recorded_code = _timed(record, project, cli_env)
        recorded.append(seconds)
        codes.add((code, recorded_code))
    if any(a != b for a, b in codes):
        raise SystemExit(f"{lib}: `record` changed the suite's exit code: {codes}")
    collected = subprocess.run([*pytest, "-rf"], cwd=project, env=env, capture_output=True, text=True).stdout
    failing = sum(1 for line in collected.splitlines() if line.startswith("FAILED "))
    summary = collected.strip().splitlines()[-1] if collected.strip() else ""
    counts = {word: int(number) for number, word in re.findall(r"(\d+) (passed|failed|error|errors|skipped)", summary)}
    proc = subprocess.run([sys.executable, "-m", "compile_audit", "scan", "--confirm", "--no-synthesize",
                           "--output-format", "json"], cwd=project, env=cli_env, capture_output=True, text=True)
    document = json.loads(proc.stdout)
    static = [f for f in document["findings"] if f["code"] not in ("CA902", "CA903", "CA904")]
    unreached = [f for f in static if f["status"] == "unreached"]
    return {
        "library": RELEASES[lib],
        "tests": sum(counts.values()),
        "outcomes": counts,
        "failing_here": failing,  # the suite's own failures in this environment (both runs alike)
        "findings": len(static),
        "with_verdict": sum(1 for f in static if f["status"] in VERDICT),
        "statuses": {s: sum(1 for f in static if f["status"] == s) for s in sorted({f["status"] for f in static})},
        "unreached_ran_not_recorded": sum(1 for f in unreached if "ran, not recorded" in (f.get("dynamo") or "")),
        "unreached_never_ran": sum(1 for f in unreached if "never ran" in (f.get("dynamo") or "")),
        "unreached_not_evaluated": sum(1 for f in unreached if "never evaluated" in (f.get("dynamo") or "")),
        "targets": len(document.get("targets", [])),
        "failed_targets": sum(1 for f in document["findings"] if f["code"] == "CA903"),
        "record_cold_seconds": round(cold, 2),
        "plain_seconds": [round(t, 2) for t in plain],
        "record_seconds": [round(t, 2) for t in recorded],
        "overhead": round(statistics.median(recorded) / statistics.median(plain), 2),
        "by_finding": [{k: f.get(k) for k in ("code", "path", "line", "status", "dynamo")} for f in static],
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--libs", nargs="+", default=list(RELEASES), choices=list(RELEASES))
    parser.add_argument("--out", type=Path, default=HERE / "own_suites.json")
    args = parser.parse_args(argv)
    import torch

    _, deps = _install()
    results = {"torch": torch.__version__.split("+")[0], "python": sys.version.split()[0], "libraries": {}}
    with tempfile.TemporaryDirectory(prefix="compile-audit-own-") as tmp:
        for lib in args.libs:
            results["libraries"][lib] = measure(lib, deps, Path(tmp), args.repeat)
            args.out.write_text(json.dumps(results, indent=1) + "\n")
    print(f"torch {results['torch']}, CPU, backend eager")
    print("| library (its own tests) | tests | findings | with a verdict | unreached: ran, not recorded / never ran "
          "/ not evaluated | `record` / the suite alone, warm |")
    print("|---|---|---|---|---|---|")
    for r in results["libraries"].values():
        print(f"| {r['library']} | {r['tests']} | {r['findings']} | {r['with_verdict']} | "
              f"{r['unreached_ran_not_recorded']} / {r['unreached_never_ran']} / {r['unreached_not_evaluated']} | "
              f"{r['overhead']}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
