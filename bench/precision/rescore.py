#!/usr/bin/env python3
"""Precision on real code: scan pinned releases of well-known PyTorch libraries and score the
findings against the hand-judged lists in ``judged/*.jsonl``.

    python bench/precision/rescore.py            # scan, score, list the findings nobody judged
    python bench/precision/rescore.py --dump F   # also write every finding (with context) to F
    python bench/precision/rescore.py --verify   # also re-run every reduction under Dynamo

Each judged entry names a finding by package, path inside the package, rule code and the
stripped text of the flagged line (so line shifts between versions of the tool do not matter),
and carries the verdict TRUE/FALSE, the reason, and the reduction: a small script in
``reductions/`` that runs the pattern under ``torch.compile(fullgraph=True, backend="eager")``
on torch 2.13 and prints ``BREAKS`` or ``COMPILES`` (``--verify`` checks each one still agrees
with its verdict). A judged finding the tool no longer reports counts as removed: a TRUE one
removed is a recall loss and is listed.

The corpora are downloaded once (``pip download --no-deps``, pinned) into ``bench/.corpus/``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / ".corpus" / "precision"
JUDGED = HERE / "judged"
REDUCTIONS = HERE / "reductions"

#: package -> (pip requirement, folders inside the wheel that are scanned)
PACKAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "timm": ("timm==1.0.31", ("timm",)),
    "torchvision": ("torchvision==0.29.1", ("torchvision",)),
    "diffusers": ("diffusers==0.42.1", ("diffusers",)),
    "torchtune": ("torchtune==0.6.1", ("torchtune",)),
    "x_transformers": ("x-transformers==2.31.10", ("x_transformers",)),
    "litgpt": ("litgpt==0.5.13", ("litgpt",)),
    "torchao": ("torchao==0.18.0", ("torchao",)),
    "transformers": (
        "transformers==5.24.0",
        tuple(
            f"transformers/models/{m}"
            for m in (
                "llama", "mistral", "gpt2", "bert", "t5", "whisper", "qwen2", "gemma2", "mixtral", "clip",
                "vit", "bart", "gpt_neox", "falcon", "phi", "mamba", "modernbert", "deberta_v2", "bloom", "opt",
            )
        )
        + ("transformers/modeling_utils.py", "transformers/cache_utils.py", "transformers/masking_utils.py",
           "transformers/integrations/__init__.py", "transformers/integrations/moe.py"),
    ),
    # held out: added after the fixes above were made, judged without changing the tool since
    "open_clip": ("open_clip_torch==3.2.0", ("open_clip",)),
    "denoising_diffusion_pytorch": ("denoising-diffusion-pytorch==2.3.4", ("denoising_diffusion_pytorch",)),
    "vector_quantize_pytorch": ("vector-quantize-pytorch==1.32.0", ("vector_quantize_pytorch",)),
    "peft": ("peft==0.21.2", ("peft",)),
    "transformers_holdout": (
        "transformers==5.24.0",
        tuple(
            f"transformers/models/{m}"
            for m in ("qwen3", "gemma3", "llava", "sam", "dinov2", "deepseek_v3", "olmo2", "gpt_oss", "siglip",
                      "wav2vec2", "mobilebert", "swin", "detr")
        )
        + ("transformers/integrations/__init__.py", "transformers/integrations/moe.py"),
    ),
    # held out, second round: added and judged after the last change to the tool
    "vit_pytorch": ("vit-pytorch==1.26.11", ("vit_pytorch",)),
    "ultralytics": ("ultralytics==8.4.190", ("ultralytics",)),
    "sentence_transformers": ("sentence-transformers==6.2.0", ("sentence_transformers",)),
    # held out, third round: added after the third round of fixes, judged before any change aimed at it
    "monai": ("monai==1.6.1", ("monai/networks",)),
    "segmentation_models_pytorch": ("segmentation-models-pytorch==0.6.0", ("segmentation_models_pytorch",)),
    "kornia": ("kornia==0.9.0", ("kornia",)),
    "audiolm_pytorch": ("audiolm-pytorch==2.4.0", ("audiolm_pytorch",)),
}
#: the packages whose findings were studied while the tool was fixed; the rest are held out
DEVELOPMENT = ("timm", "torchvision", "diffusers", "torchtune", "x_transformers", "litgpt", "torchao", "transformers")


def fetch(name: str) -> Path:
    """The package's scanned sources, downloaded and unpacked once."""
    requirement, folders = PACKAGES[name]
    target = CORPUS / name
    if target.exists():
        return target
    CORPUS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", requirement, "-d", tmp], check=True)
        wheel = next(Path(tmp).glob("*.whl"))
        staging = Path(tmp) / "unpacked"
        with zipfile.ZipFile(wheel) as archive:
            for member in archive.namelist():
                if member.endswith(".py") and any(member == f or member.startswith(f + "/") for f in folders):
                    archive.extract(member, staging)
        staging.rename(target)
    return target


def scan(name: str) -> list[dict]:
    """Findings for one package, each with its path inside the package and its line's text."""
    tree = fetch(name)
    # The package is its own project: its settings sit at its top (a ``--config`` elsewhere would
    # make that folder the project root, and its files, these reductions, part of the project).
    (tree / "pyproject.toml").write_text((HERE / "scan.toml").read_text())
    proc = subprocess.run(
        [sys.executable, "-m", "compile_audit", "scan", ".", "--no-cache", "--output-format", "json", "--exit-zero"],
        cwd=tree, capture_output=True, text=True,
    )
    if proc.returncode != 0:
        sys.exit(f"scan of {name} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    findings = json.loads(proc.stdout)["findings"]
    out = []
    occurrences: Counter = Counter()
    for f in findings:
        if f["code"].startswith("CA9"):
            continue
        lines = (tree / f["path"]).read_text(encoding="utf-8", errors="replace").splitlines()
        text = lines[f["line"] - 1].strip() if f["line"] <= len(lines) else ""
        key = (name, f["path"], f["code"], text)
        occurrences[key] += 1
        context = "\n".join(f"{n + 1:5d} {lines[n]}" for n in range(max(0, f["line"] - 8), min(len(lines), f["line"] + 3)))
        out.append({"package": name, "path": f["path"], "code": f["code"], "text": text, "nth": occurrences[key],
                    "line": f["line"], "column": f["column"], "message": f["message"], "context": context})
    return out


def key_of(entry: dict) -> tuple:
    """A finding's identity across versions of the tool: where it is (not its line number).
    Entries judged on a line with several findings of one rule name their ``column``."""
    if entry.get("column_judged"):
        return (entry["package"], entry["path"], entry["code"], entry["text"], "col", entry["column"])
    return (entry["package"], entry["path"], entry["code"], entry["text"], entry.get("nth", 1))


def lookup(judged: dict, finding: dict) -> tuple:
    by_column = (finding["package"], finding["path"], finding["code"], finding["text"], "col", finding["column"])
    return by_column if by_column in judged else key_of(finding)


def load_judged() -> dict[tuple, dict]:
    judged = {}
    for path in sorted(JUDGED.glob("*.jsonl")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if line.strip():
                entry = json.loads(line)
                if entry["verdict"] not in ("TRUE", "FALSE"):
                    sys.exit(f"{path.name}:{number}: verdict must be TRUE or FALSE")
                judged[key_of(entry)] = entry
    return judged


def verify(judged: dict[tuple, dict]) -> int:
    """Re-run each reduction once; count the ones that disagree with their verdicts."""
    wrong = 0
    results: dict[str, str] = {}
    for entry in judged.values():
        reduction = entry.get("reduction")
        if not reduction:
            continue
        if reduction not in results:
            proc = subprocess.run([sys.executable, str(REDUCTIONS / reduction)], capture_output=True, text=True,
                                  timeout=300)
            lines = proc.stdout.strip().splitlines()
            results[reduction] = lines[-1] if lines else f"no output (exit {proc.returncode})"
        if results[reduction] in ("HOLDS", "FAILS"):  # a claim, not a graph break
            expected = "HOLDS" if entry["verdict"] == "TRUE" else "FAILS"
        else:
            expected = "BREAKS" if entry["verdict"] == "TRUE" else "COMPILES"
        if results[reduction] != expected:
            wrong += 1
            print(f"  reduction {reduction} printed {results[reduction]!r}, verdict {entry['verdict']} "
                  f"expects {expected}: {entry['package']}/{entry['path']} {entry['code']}")
    print(f"reductions re-run: {len(results)}, disagreeing entries: {wrong}")
    return wrong


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dump", type=Path, help="write every finding with its context as JSON lines")
    parser.add_argument("--verify", action="store_true", help="re-run the reductions under Dynamo")
    parser.add_argument("--only", nargs="*", choices=sorted(PACKAGES), help="packages to scan")
    parser.add_argument("--show-false", action="store_true", help="list the findings judged FALSE that are still reported")
    parser.add_argument("--min-precision", type=float, default=None, help="exit 1 below this precision")
    args = parser.parse_args()
    judged = load_judged()
    findings = [f for name in (args.only or PACKAGES) for f in scan(name)]
    if args.dump:
        args.dump.write_text("".join(json.dumps(f) + "\n" for f in findings))
    seen = set()
    per_rule: dict[str, Counter] = defaultdict(Counter)
    unjudged = []
    for f in findings:
        key = lookup(judged, f)
        seen.add(key)
        entry = judged.get(key)
        if entry is None:
            per_rule[f["code"]]["unjudged"] += 1
            unjudged.append(f)
        else:
            per_rule[f["code"]][entry["verdict"]] += 1
            if args.show_false and entry["verdict"] == "FALSE":
                print(f"  FALSE: {f['package']}/{f['path']}:{f['line']} {f['code']}: {f['text'][:90]}")
    scoped = [e for e in judged.values() if args.only is None or e["package"] in args.only]
    removed = [e for e in scoped if key_of(e) not in seen]
    total = Counter()
    print(f"{'rule':6} {'TRUE':>5} {'FALSE':>5} {'unjudged':>8} {'precision':>9}   removed TRUE/FALSE")
    gone = defaultdict(Counter)
    for e in removed:
        gone[e["code"]][e["verdict"]] += 1
    for code in sorted(set(per_rule) | set(gone)):
        c = per_rule[code]
        total.update(c)
        judged_n = c["TRUE"] + c["FALSE"]
        precision = f"{100 * c['TRUE'] / judged_n:.0f}%" if judged_n else "-"
        print(f"{code:6} {c['TRUE']:5} {c['FALSE']:5} {c['unjudged']:8} {precision:>9}   "
              f"{gone[code]['TRUE']}/{gone[code]['FALSE']}")
    judged_n = total["TRUE"] + total["FALSE"]
    precision = total["TRUE"] / judged_n if judged_n else 0.0
    print(f"{'all':6} {total['TRUE']:5} {total['FALSE']:5} {total['unjudged']:8} {100 * precision:8.1f}%")
    for label, members in (("development", DEVELOPMENT), ("held out", tuple(p for p in PACKAGES if p not in DEVELOPMENT))):
        group = Counter()
        for f in findings:
            if f["package"] in members:
                entry = judged.get(lookup(judged, f))
                group[entry["verdict"] if entry else "unjudged"] += 1
        n = group["TRUE"] + group["FALSE"]
        if n or group["unjudged"]:
            print(f"  {label}: {group['TRUE']} TRUE, {group['FALSE']} FALSE, {group['unjudged']} unjudged"
                  + (f": {100 * group['TRUE'] / n:.1f}%" if n else ""))
    lost = [e for e in removed if e["verdict"] == "TRUE"]
    print(f"judged entries: {len(scoped)}; no longer reported: {len(removed)} "
          f"({len(removed) - len(lost)} FALSE removed, {len(lost)} TRUE lost)")
    for e in lost:
        print(f"  TRUE finding lost: {e['package']}/{e['path']} {e['code']}: {e['text']}")
    for f in unjudged:
        print(f"  unjudged: {f['package']}/{f['path']}:{f['line']} {f['code']}: {f['text']}")
    status = 0
    if args.verify and verify(judged):
        status = 1
    if args.min_precision is not None and precision < args.min_precision:
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
