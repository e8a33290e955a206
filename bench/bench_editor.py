"""The paths an editor and a pre-commit hook take, measured side by side in one run.

    python bench/bench_editor.py [--repeat 5] [--write]

1. **The language server's re-lint** of a module after one edit (the diagnostics latency of
   ``compile-audit server``: ``Project.lint`` of the edited buffer, in process, median of 20
   edits), next to libcst's parse of the same text (the floor any libcst linter pays).
2. **The warm re-scan** (every file a cache hit) against the cold scan of the same tree, in text
   output as a hook runs it, and which heavy modules the warm run imports.
3. **One file from a cold start** (``compile-audit scan FILE --no-cache``, as pre-commit runs it)
   against ``python -c "import libcst"``.
4. **The cold scan, ``--jobs 1``,** against the libcst parse-only floor (``floors.py``).

Corpora: the transformers models of bench_static.py (``bench/.corpus/transformers``), copied
outside the repository. With ``--write`` the table goes into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PY = sys.executable
MODULES = ["vit/modeling_vit.py", "llama/modeling_llama.py"]
IMPORT = "python -c 'import libcst'"


def timed(argv: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{argv[:5]} failed: {proc.stderr[-1500:]}")
    return time.perf_counter() - start


def relint(corpus: Path, module: Path) -> tuple[float, float, int]:
    """Median ms of the server's lint after an edit, and of libcst's parse of the same text."""
    import libcst as cst

    from compile_audit.server import Project

    project = Project(corpus)
    text = module.read_text()
    lint, parse = [], []
    for i in range(20):
        edited = text.replace("\n\n\n", f"\n\n# edit {i}\n", 1)  # a keystroke's worth of change
        start = time.perf_counter()
        project.lint(module, edited)
        lint.append(time.perf_counter() - start)
        project.update(module, edited)  # after the diagnostics, as the server does
        start = time.perf_counter()
        cst.parse_module(edited)
        parse.append(time.perf_counter() - start)
    return statistics.median(lint) * 1000, statistics.median(parse) * 1000, len(text.splitlines())


def heavy_imports(argv: list[str], cwd: Path) -> list[str]:
    proc = subprocess.run([PY, "-X", "importtime", *argv], cwd=cwd, capture_output=True, text=True)
    names = {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    return sorted(n for n in names if n in ("libcst", "rich", "compile_audit.rules", "torch", "compile_audit.lint.engine"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    source = BENCH / ".corpus" / "transformers"
    if not source.exists():
        raise SystemExit("bench/.corpus/transformers is missing: run bench/bench_static.py once to fetch it")
    work = Path(tempfile.mkdtemp(prefix="ca-editor-"))
    corpus = work / "corpus"
    shutil.copytree(source, corpus, ignore=shutil.ignore_patterns("__pycache__"))
    (corpus / "pyproject.toml").write_text("[tool.compile-audit]\n")
    files = sorted(str(p) for p in corpus.rglob("*.py"))
    listing = work / "files.txt"
    listing.write_text("\n".join(files))
    one = str(corpus / MODULES[0])
    scan = [PY, "-m", "compile_audit", "scan", str(corpus), "--exit-zero"]
    cache = corpus / ".compile_audit_cache"
    commands = {
        "cold, --jobs 1": (scan + ["--jobs", "1"], True),
        "cold, --jobs 2": (scan + ["--jobs", "2"], True),
        "warm (every file cached)": (scan + ["--jobs", "2"], False),
        "libcst parse floor": ([PY, str(BENCH / "floors.py"), "parse", f"@{listing}"], False),
        "one file, cold start": ([PY, "-m", "compile_audit", "scan", one, "--no-cache", "--exit-zero"], False),
        IMPORT: ([PY, "-c", "import libcst"], False),
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    subprocess.run(scan, cwd=corpus, stdout=subprocess.DEVNULL)  # warm the OS file cache
    for _ in range(args.repeat):
        for name, (argv, cold) in commands.items():
            if cold:
                shutil.rmtree(cache, ignore_errors=True)
            elif name.startswith("warm"):
                subprocess.run(scan, cwd=corpus, stdout=subprocess.DEVNULL)
            times[name].append(timed(argv, corpus))
    median = {name: statistics.median(values) for name, values in times.items()}
    relints = [(m, *relint(corpus, corpus / m)) for m in MODULES]
    warm_imports = heavy_imports(scan, corpus)

    lines = [f"Machine: {sys.platform}, Python {sys.version.split()[0]}; {args.repeat} repetitions, commands "
             f"alternated; `python bench/bench_editor.py --repeat {args.repeat} --write`. Corpus: the "
             f"transformers models of bench_static.py ({len(files)} files).", "",
             "| command | median s | min-max s |", "|---|---|---|"]
    for name, values in times.items():
        lines.append(f"| {name} | {median[name]:.3f} | {min(values):.3f}-{max(values):.3f} |")
    lines += ["", "| module | lines | server re-lint after one edit, median ms | libcst parse alone, median ms |",
              "|---|---|---|---|"]
    for module, lint, parse, count in relints:
        lines.append(f"| `{module}` | {count} | {lint:.0f} | {parse:.0f} |")
    lines += [
        "",
        f"- warm re-scan: **{median['warm (every file cached)'] / median['cold, --jobs 2']:.1%}** of the cold scan "
        f"(`--jobs 2`), {median['warm (every file cached)'] / median['cold, --jobs 1']:.1%} of `--jobs 1`; "
        f"heavy modules it imports: {', '.join(warm_imports) or 'none of libcst, rich, the rules, the engine'}",
        f"- one file from a cold start: **{median['one file, cold start'] / median[IMPORT]:.2f}x** "
        "`python -c 'import libcst'`",
        f"- cold scan throughput, `--jobs 1`: **{median['libcst parse floor'] / median['cold, --jobs 1']:.2f}x** the "
        "libcst parse-only floor",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        page = ROOT / "docs" / "benchmarks.md"
        body = page.read_text()
        block = f"<!-- editor:start -->\n{text}\n<!-- editor:end -->"
        if "<!-- editor:start -->" in body:
            body = re.sub(r"<!-- editor:start -->.*?<!-- editor:end -->", lambda _: block, body, flags=re.S)
        else:
            body += f"\n## The editor and pre-commit paths (`bench/bench_editor.py`)\n\n{block}\n"
        page.write_text(body)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
