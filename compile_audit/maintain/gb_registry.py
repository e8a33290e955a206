"""Dynamo's graph-break registry, as a committed snapshot: ``compile_audit/data/gb_registry.json``.

torch ships ``torch/_dynamo/graph_break_registry.json``: every graph-break (GB) code ever assigned,
each with its versions (``Gb_type``, ``Context``, ``Explanation``, ``Hints``; the first version is
the current one). The registry only grows: a code stays after the code path that raised it is
gone. Dynamo reports a code by looking its ``gb_type`` string up in the registry (the last code
listed wins where two codes share one), so a code is *raised* by a release exactly when one of the
``gb_type=`` literals in that release's Python sources maps to it; the snapshot records that too.

The snapshot keeps what ``docs/coverage.md`` needs (code, gb_type, a short explanation, the hint
categories of ``torch/_dynamo/graph_break_hints.py``, raised or not) for the installed torch, plus
the codes a newer release adds or removes, so that generating the page neither imports torch nor
depends on which torch is installed. Rewrite it with::

    python -m compile_audit.maintain.gb_registry --write --newer /path/to/other/venv/bin/python

It reads the files of the installed torch (and of the newer interpreter's torch) without
importing either.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SNAPSHOT = Path(__file__).resolve().parent.parent / "data" / "gb_registry.json"
# the hint lists of torch/_dynamo/graph_break_hints.py whose text marks a registry entry
HINT_CATEGORIES = ("DYNAMO_BUG", "USER_ERROR", "SUPPORTABLE", "FUNDAMENTAL", "DIFFICULT",
                   "CAUSED_BY_EARLIER_GRAPH_BREAK", "INFERENCE_MODE", "SPARSE_TENSOR")
EXPLANATION_CHARS = 240


@dataclass(frozen=True)
class Code:
    code: str
    gb_type: str
    explanation: str
    hints: tuple[str, ...]
    raised: bool

    @property
    def internal(self) -> bool:
        """Dynamo's own hints call it a Dynamo bug: user code is not meant to reach it."""
        return "DYNAMO_BUG" in self.hints


@dataclass(frozen=True)
class Snapshot:
    torch: str
    codes: dict[str, Code]
    newer_torch: str | None
    added: dict[str, Code]  # codes the newer release's registry adds
    removed: tuple[str, ...]  # codes the newer release's registry no longer has
    newer_unraised: tuple[str, ...]  # codes raised here that the newer release's sources no longer raise
    unregistered: tuple[str, ...]  # gb_types this release raises that have no code (no GB link)


@lru_cache(maxsize=1)
def load(path: Path = SNAPSHOT) -> Snapshot:
    data = json.loads(path.read_text(encoding="utf-8"))

    def codes(entries: dict) -> dict[str, Code]:
        return {k: Code(k, v["gb_type"], v["explanation"], tuple(v["hints"]), v["raised"]) for k, v in entries.items()}

    newer = data.get("newer") or {}
    return Snapshot(
        torch=data["torch"],
        codes=codes(data["codes"]),
        newer_torch=newer.get("torch"),
        added=codes(newer.get("added", {})),
        removed=tuple(newer.get("removed", ())),
        newer_unraised=tuple(newer.get("unraised", ())),
        unregistered=tuple(data.get("unregistered", ())),
    )


# -- writing the snapshot (reads torch's files; never imports torch) ---------------------------------


def torch_dir(python: str | None = None) -> Path:
    """The torch package folder of ``python`` (default: this interpreter), found without importing it."""
    probe = "import importlib.util, os; print(os.path.dirname(importlib.util.find_spec('torch').origin))"
    if python is None:
        import importlib.util

        spec = importlib.util.find_spec("torch")
        if spec is None or spec.origin is None:
            raise SystemExit("torch is not installed in this interpreter")
        return Path(spec.origin).parent
    out = subprocess.run([python, "-c", probe], capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def torch_version(root: Path) -> str:
    tree = ast.parse((root / "version.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__version__" for t in targets):
                return str(ast.literal_eval(node.value)).split("+")[0]
    raise SystemExit(f"no __version__ in {root / 'version.py'}")


def hint_lists(root: Path) -> dict[str, list[str]]:
    """The hint categories of ``graph_break_hints.py`` (module-level lists of strings)."""
    tree = ast.parse((root / "_dynamo" / "graph_break_hints.py").read_text(encoding="utf-8"))
    out = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                continue
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                out[node.targets[0].id] = value
    return out


def raised_gb_types(root: Path) -> tuple[set[str], list[re.Pattern]]:
    """Every ``gb_type=`` string the release's Python sources pass (literals, and f-strings as patterns)."""
    literals: set[str] = set()
    patterns: list[re.Pattern] = []
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8", errors="replace")
        if "gb_type" not in text:
            continue
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for kw in node.keywords:
                if kw.arg != "gb_type":
                    continue
                if isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                    literals.add(kw.value.value)
                elif isinstance(kw.value, ast.JoinedStr):
                    parts = [re.escape(v.value) if isinstance(v, ast.Constant) else ".+" for v in kw.value.values]
                    patterns.append(re.compile("".join(parts)))
    return literals, patterns


def registry_snapshot(root: Path) -> dict:
    registry = json.loads((root / "_dynamo" / "graph_break_registry.json").read_text(encoding="utf-8"))
    hints = hint_lists(root)
    literals, patterns = raised_gb_types(root)
    lookup: dict[str, str] = {}  # Dynamo's own gb_type -> code map: the last code wins
    for code, versions in registry.items():
        for version in versions:
            lookup[version["Gb_type"]] = code
    raised = {lookup[g] for g in literals if g in lookup}
    raised |= {lookup[g] for g in lookup if any(p.fullmatch(g) for p in patterns)}
    codes = {}
    for code in sorted(registry):
        current = registry[code][0]
        categories = [name for name in HINT_CATEGORIES
                      if any(h in current["Hints"] for h in hints.get(name, ()))]
        explanation = " ".join(current["Explanation"].split())
        if len(explanation) > EXPLANATION_CHARS:
            explanation = explanation[:EXPLANATION_CHARS - 3].rstrip() + "..."
        codes[code] = {"gb_type": current["Gb_type"], "explanation": explanation, "hints": categories,
                       "raised": code in raised}
    unregistered = sorted(g for g in literals if g not in lookup)
    return {"torch": torch_version(root), "codes": codes, "unregistered": unregistered}


def build(root: Path, newer: Path | None) -> dict:
    data = {"about": "Dynamo's graph-break registry of the torch below, reduced for docs/coverage.md; "
                     "written by `python -m compile_audit.maintain.gb_registry --write`"}
    data.update(registry_snapshot(root))
    if newer is not None:
        other = registry_snapshot(newer)
        data["newer"] = {
            "torch": other["torch"],
            "added": {c: v for c, v in other["codes"].items() if c not in data["codes"]},
            "removed": sorted(c for c in data["codes"] if c not in other["codes"]),
            "unraised": sorted(c for c, v in data["codes"].items()
                               if v["raised"] and not other["codes"].get(c, {}).get("raised")),
        }
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m compile_audit.maintain.gb_registry", description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help=f"write {SNAPSHOT.relative_to(SNAPSHOT.parents[2])}")
    parser.add_argument("--newer", metavar="PYTHON", help="an interpreter whose torch is the newer release to compare")
    args = parser.parse_args(argv)
    data = build(torch_dir(), torch_dir(args.newer) if args.newer else None)
    text = json.dumps(data, indent=1) + "\n"
    codes = data["codes"].values()
    print(f"torch {data['torch']}: {len(data['codes'])} codes, {sum(c['raised'] for c in codes)} raised by its sources, "
          f"{sum('DYNAMO_BUG' in c['hints'] for c in codes)} hinted as Dynamo bugs")
    if "newer" in data:
        newer = data["newer"]
        print(f"torch {newer['torch']}: {len(newer['added'])} codes added, {len(newer['removed'])} removed, "
              f"{len(newer['unraised'])} no longer raised")
    if args.write:
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(text, encoding="utf-8")
        print(f"wrote {SNAPSHOT}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
