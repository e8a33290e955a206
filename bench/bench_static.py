#!/usr/bin/env python3
"""compile-audit's static speed, side by side with the libcst floors and the peers, in one run.

    python bench/bench_static.py [--repeat 3] [--write]

Corpora (about 50k lines each, the size the project brief measured on): the Python sources of
the installed torch's ``torch/nn``, and eight model folders of transformers 4.46.3 (downloaded
once into ``bench/.corpus``). Peers (ruff, fixit, torchfix, pinned) are installed once into
``bench/.venv-peers``. Each repetition runs every command once, alternating, from this process;
the table gives medians, spreads, peak memory (max RSS, GNU time) and ratios to ruff and to the
libcst parse-only floor. Then the sizes (issue 31): generated modules of 500 and 4,000
``nn.Module`` classes and of about 5 MB, each scanned against its own parse; and the whole
transformers 4.46.3 package (about 1.0M lines) scanned with ``--jobs 2`` against the
single-process parse floor. The last table checks each figure against the issue's goal.
compile-audit is byte-compiled first, as ``pip install`` does. ``--only`` runs some sections;
``--write`` replaces the static section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PEERS = BENCH / ".venv-peers"
CORPUS = BENCH / ".corpus"
PINS = ["ruff==0.17.5", "fixit==2.2.1", "torchfix==0.7.0"]
TRANSFORMERS = "transformers==4.46.3"
MODELS = ["llama", "bert", "gpt2", "t5", "mistral", "whisper", "vit", "clip"]
PY = sys.executable


def peers() -> Path:
    bin_dir = PEERS / "bin"
    if not (bin_dir / "fixit").exists():
        venv.EnvBuilder(with_pip=True, clear=True).create(PEERS)
        subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", *PINS], check=True)
    return bin_dir


def corpora() -> dict[str, Path]:
    spec = importlib.util.find_spec("torch")  # located, not imported
    torch_nn = Path(spec.origin).parent / "nn"
    target = CORPUS / "transformers"
    if not target.exists():
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([PY, "-m", "pip", "download", "-q", "--no-deps", TRANSFORMERS, "-d", tmp], check=True)
            wheel = next(Path(tmp).glob("transformers-*.whl"))
            with zipfile.ZipFile(wheel) as archive:
                for name in archive.namelist():
                    parts = name.split("/")
                    if len(parts) > 3 and parts[1] == "models" and parts[2] in MODELS and name.endswith(".py"):
                        archive.extract(name, CORPUS / "unpacked")
        shutil.move(str(CORPUS / "unpacked" / "transformers" / "models"), target)
    return {"torch 2.13 torch/nn": torch_nn, f"{TRANSFORMERS} ({len(MODELS)} models)": target}


def whole_package() -> Path:
    """Every Python file of the transformers 4.46.3 wheel (about 1.0M lines)."""
    target = CORPUS / "transformers-whole"
    if not target.exists():
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([PY, "-m", "pip", "download", "-q", "--no-deps", TRANSFORMERS, "-d", tmp], check=True)
            wheel = next(Path(tmp).glob("transformers-*.whl"))
            with zipfile.ZipFile(wheel) as archive:
                archive.extractall(target, [n for n in archive.namelist() if n.startswith("transformers/")
                                            and n.endswith(".py")])
    return target / "transformers"


def precompile() -> None:
    """Byte-compile compile-audit as ``pip install`` does, so that no measured run pays for
    compiling the tool's own modules (this machine sets PYTHONDONTWRITEBYTECODE)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "compile_audit"), str(ROOT / "rules")], check=True,
                   env=env, stdout=subprocess.DEVNULL)


def copied(source: Path, name: str) -> tuple[Path, Path, list[str], int, Path]:
    """A copy of a corpus outside any git repository (fixit's trailrunner skips git-ignored
    files): the work folder, the copy, its Python files, their lines, and a file listing them
    (for floors.py)."""
    work = Path(tempfile.mkdtemp(prefix="ca-bench-"))
    corpus = work / name
    shutil.copytree(source, corpus, ignore=shutil.ignore_patterns("__pycache__"))
    files = sorted(str(p) for p in corpus.rglob("*.py"))
    lines = sum(Path(f).read_bytes().count(b"\n") for f in files)
    listing = work / "files.txt"
    listing.write_text("\n".join(files))
    return work, corpus, files, lines, listing


def measure(argv: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one command."""
    with tempfile.NamedTemporaryFile("r") as stats:
        start = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-o", stats.name, "-f", "%M", *argv], cwd=cwd,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        elapsed = time.perf_counter() - start
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{argv[:4]} failed ({proc.returncode}): {proc.stderr[-1500:]}")
        peak = int(stats.read().strip().splitlines()[-1])
    return elapsed, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--only", choices=["corpora", "sizes", "whole"], action="append",
                        help="run only these sections (default: all)")
    args = parser.parse_args()
    wanted = set(args.only or ["corpora", "sizes", "whole"])
    precompile()
    bin_dir = peers()
    sections = []
    goals: list[tuple[str, str, str, bool]] = []
    for label, source in (corpora().items() if "corpora" in wanted else ()):
        work, corpus, files, lines, listing = copied(source, "corpus")
        cache = work / ".compile_audit_cache"
        scan = [PY, "-m", "compile_audit", "scan", str(corpus), "--exit-zero", "--output-format", "json"]
        commands = {
            "compile-audit cold, --jobs 1": (scan + ["--jobs", "1"], True),
            "compile-audit cold, --jobs 2": (scan + ["--jobs", "2"], True),
            "compile-audit warm (cache)": (scan + ["--jobs", "2"], False),
            "libcst parse (floor)": ([PY, str(BENCH / "floors.py"), "parse", f"@{listing}"], False),
            "libcst parse + scope/position metadata": ([PY, str(BENCH / "floors.py"), "metadata", f"@{listing}"], False),
            "ruff 0.17.5 (default rules)": ([str(bin_dir / "ruff"), "check", "--no-cache", "--exit-zero", "-q", str(corpus)], False),
            "fixit 2.2.1 (default rules)": ([str(bin_dir / "fixit"), "lint", str(corpus)], False),
            "torchfix 0.7.0": ([str(bin_dir / "torchfix"), str(corpus)], False),
        }
        results: dict[str, list[tuple[float, int]]] = {name: [] for name in commands}
        subprocess.run(scan, cwd=work, stdout=subprocess.DEVNULL)  # prime the cache for "warm"
        for _ in range(args.repeat):
            for name, (argv, cold) in commands.items():
                if cold:
                    shutil.rmtree(cache, ignore_errors=True)
                results[name].append(measure(argv, work))
            subprocess.run(scan, cwd=work, stdout=subprocess.DEVNULL)  # re-prime after the cold runs
        median = {name: statistics.median(t for t, _ in values) for name, values in results.items()}
        ruff, floor = median["ruff 0.17.5 (default rules)"], median["libcst parse (floor)"]
        rows = [
            f"### {label}: {len(files)} files, {lines} lines", "",
            "| command | median s | min-max s | peak MiB | × ruff | throughput vs parse floor |",
            "|---|---|---|---|---|---|",
        ]
        for name, values in results.items():
            times = [t for t, _ in values]
            peak = max(m for _, m in values) / 1024
            rows.append(
                f"| {name} | {median[name]:.2f} | {min(times):.2f}-{max(times):.2f} | {peak:.0f} | "
                f"{median[name] / ruff:.0f}× | {floor / median[name]:.2f}× |"
            )
        cold1, cold2 = median["compile-audit cold, --jobs 1"], median["compile-audit cold, --jobs 2"]
        rows += [
            "",
            f"- cold scan throughput: **{floor / cold1:.2f}×** the libcst parse-only floor (`--jobs 1`), "
            f"{floor / cold2:.2f}× with `--jobs 2`",
            f"- `--jobs 2` is **{cold1 / cold2:.2f}×** as fast as `--jobs 1`",
            f"- warm re-scan: **{100 * median['compile-audit warm (cache)'] / cold2:.1f}%** of the cold scan (`--jobs 2`)",
            f"- against the peers (cold, `--jobs 1`): fixit takes **{median['fixit 2.2.1 (default rules)'] / cold1:.1f}×** as long, "
            f"torchfix **{median['torchfix 0.7.0'] / cold1:.1f}×**",
            "",
        ]
        sections.append("\n".join(rows))
        print(sections[-1], flush=True)
        shutil.rmtree(work, ignore_errors=True)
        short = "torch/nn" if "torch/nn" in label else "transformers models"
        floor_goal = 0.6 if "torch/nn" in label else 0.8
        goals += [
            (f"cold `--jobs 1` vs parse floor, {short}", f"{floor / cold1:.2f}×", f">= {floor_goal}×",
             floor / cold1 >= floor_goal),
            (f"`--jobs 2` speed-up over `--jobs 1`, {short}", f"{cold1 / cold2:.2f}×", ">= 1.7×", cold1 / cold2 >= 1.7),
            (f"warm re-scan, {short}", f"{100 * median['compile-audit warm (cache)'] / cold2:.1f}% of cold", "<= 3%",
             median["compile-audit warm (cache)"] / cold2 <= 0.03),
            (f"fixit / torchfix vs us, {short}", f"{median['fixit 2.2.1 (default rules)'] / cold1:.1f}× / "
             f"{median['torchfix 0.7.0'] / cold1:.1f}×", ">= 5×",
             min(median["fixit 2.2.1 (default rules)"], median["torchfix 0.7.0"]) / cold1 >= 5),
        ]
    if "sizes" in wanted:
        section, found = sizes(args.repeat)
        sections.append(section)
        goals += found
    if "whole" in wanted:
        section, found = whole(args.repeat)
        sections.append(section)
        goals += found
    table = ["### Goals (issue 31), from the figures above", "", "| measure | measured | goal | met |", "|---|---|---|---|"]
    table += [f"| {name} | {value} | {goal} | {'yes' if ok else '**no**'} |" for name, value, goal, ok in goals]
    sections.append("\n".join(table) + "\n")
    print(sections[-1], flush=True)
    header = (
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{args.repeat} repetitions, commands alternated within each; `python bench/bench_static.py "
        f"--repeat {args.repeat} --write`.\n"
    )
    if args.write:
        path = ROOT / "docs" / "benchmarks.md"
        text = path.read_text()
        start, end = "<!-- static:start -->", "<!-- static:end -->"
        block = f"{start}\n{header}\n" + "\n".join(sections) + f"\n{end}"
        if start in text:
            text = text[: text.index(start)] + block + text[text.index(end) + len(end):]
        else:
            text = text.replace("## Dynamic layer", f"## Static scan\n\n{block}\n\n## Dynamic layer", 1)
        path.write_text(text)


def sizes(repeat: int) -> tuple[str, list]:
    """One generated module at a time (bench/generate.py), each alone in its folder: the scan
    against the libcst parse of the same file, side by side, with peak memory."""
    sys.path.insert(0, str(BENCH))
    import generate

    cases = [("500 classes", 500), ("4,000 classes", 4000), ("about 5 MB", generate.classes_for(5_000_000))]
    rows = ["### Generated modules (one file each, `bench/generate.py`)", "",
            "| module | size KB | parse s | scan s | scan / parse | parse peak MiB | scan peak MiB | scan s per MB |",
            "|---|---|---|---|---|---|---|---|"]
    per_mb, found = [], []
    for label, classes in cases:
        work = Path(tempfile.mkdtemp(prefix="ca-bench-gen-"))
        path = work / "generated.py"
        path.write_text(generate.module(classes))
        size = path.stat().st_size
        parse, scan = [], []
        for _ in range(repeat):
            parse.append(measure([PY, str(BENCH / "floors.py"), "parse", str(path)], work))
            shutil.rmtree(work / ".compile_audit_cache", ignore_errors=True)
            scan.append(measure([PY, "-m", "compile_audit", "scan", str(path), "--exit-zero", "--output-format", "json"],
                                work))
        p, q = statistics.median(t for t, _ in parse), statistics.median(t for t, _ in scan)
        per_mb.append(q / (size / 1e6))
        rows.append(f"| {label} ({classes} classes) | {size // 1000} | {p:.2f} | {q:.2f} | {q / p:.2f}× | "
                    f"{max(m for _, m in parse) / 1024:.0f} | {max(m for _, m in scan) / 1024:.0f} | {per_mb[-1]:.2f} |")
        if classes == 4000:
            found.append(("a generated module of 4,000 classes: scan vs its parse", f"{q / p:.2f}×", "<= 1.5×", q / p <= 1.5))
        shutil.rmtree(work, ignore_errors=True)
    growth = per_mb[-1] / per_mb[0]
    rows += ["", f"- seconds per MB, largest over smallest module: **{growth:.2f}×** (1.0 is linear)", ""]
    found.append(("cost per MB, 5 MB module over 500-class module", f"{growth:.2f}×", "linear (about 1×)", growth <= 1.25))
    section = "\n".join(rows)
    print(section, flush=True)
    return section, found


def whole(repeat: int) -> tuple[str, list]:
    """The whole transformers package: ``--jobs 2`` against the single-process parse floor."""
    work, corpus, files, lines, listing = copied(whole_package(), "transformers")
    parse, scan = [], []
    for _ in range(repeat):
        parse.append(measure([PY, str(BENCH / "floors.py"), "parse", f"@{listing}"], work))
        shutil.rmtree(work / ".compile_audit_cache", ignore_errors=True)
        scan.append(measure([PY, "-m", "compile_audit", "scan", str(corpus), "--exit-zero", "--output-format", "json",
                             "--jobs", "2"], work))
    shutil.rmtree(work, ignore_errors=True)
    p, q = statistics.median(t for t, _ in parse), statistics.median(t for t, _ in scan)
    section = "\n".join([
        f"### The whole {TRANSFORMERS} package: {len(files)} files, {lines} lines", "",
        "| command | median s | peak MiB (parent) |", "|---|---|---|",
        f"| libcst parse, one process (floor) | {p:.1f} | {max(m for _, m in parse) / 1024:.0f} |",
        f"| compile-audit cold, `--jobs 2` | {q:.1f} | {max(m for _, m in scan) / 1024:.0f} |", "",
        f"- the scan takes **{q / p:.2f}×** the single-process parse floor", ""])
    print(section, flush=True)
    return section, [("whole transformers package, `--jobs 2` vs the parse floor", f"{q / p:.2f}×", "<= 1.0×", q / p <= 1.0)]


if __name__ == "__main__":
    main()
