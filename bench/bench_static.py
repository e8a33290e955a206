#!/usr/bin/env python3
"""compile-audit's static speed, side by side with the libcst floors and the peers, in one run.

    python bench/bench_static.py [--repeat 3] [--write]

Corpora (about 50k lines each, the size the project brief measured on): the Python sources of
the installed torch's ``torch/nn``, and eight model folders of transformers 4.46.3 (downloaded
once into ``bench/.corpus``). Peers (ruff, fixit, torchfix, pinned) are installed once into
``bench/.venv-peers``. Each repetition runs every command once, alternating, from this process;
the table gives medians, spreads, peak memory (max RSS, GNU time) and ratios to ruff and to the
libcst parse-only floor. ``--write`` replaces the static section of docs/benchmarks.md.
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
    args = parser.parse_args()
    bin_dir = peers()
    sections = []
    for label, source in corpora().items():
        # a copy outside any git repository: fixit (trailrunner) skips git-ignored files
        work = Path(tempfile.mkdtemp(prefix="ca-bench-"))
        corpus = work / "corpus"
        shutil.copytree(source, corpus, ignore=shutil.ignore_patterns("__pycache__"))
        files = sorted(str(p) for p in corpus.rglob("*.py"))
        lines = sum(Path(f).read_bytes().count(b"\n") for f in files)
        listing = work / "files.txt"
        listing.write_text("\n".join(files))
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


if __name__ == "__main__":
    main()
