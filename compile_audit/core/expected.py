"""A gate on graph counts: what each audit target compiled to, committed, and compared.

``--write-expected FILE`` (with ``--confirm``) records per target the graphs its compiled call
made, the graph breaks the default mode hit and the recompiles of its second call;
``--expected FILE`` compares a run against it, as PyTorch's own CI compares per-model
``graph_breaks``/``unique_graphs`` with a committed file: a target with more of any of them fails
the run (naming the target and the numbers), one with fewer is IMPROVED (refresh the file with
``--write-expected``), a target the file does not list is new (reported, not failing), a listed
one that did not run is said.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from compile_audit.core.baseline import read_json, write_json

#: the numbers compared, in the order they are reported
FIELDS = ("graphs", "breaks", "recompiles")


class ExpectedError(Exception):
    pass


def numbers(outcome) -> Optional[dict]:
    """A target's numbers, or None when it did not run compiled (an error, a failure eagerly)."""
    if outcome.failure() is not None or outcome.metrics is None:
        return None
    return {"graphs": outcome.metrics.graphs, "breaks": len(outcome.breaks),
            "recompiles": outcome.recompiles.count if outcome.recompiles is not None else 0}


def write(path: Path, targets: Sequence, torch_version: Optional[str]) -> int:
    """Record the targets' numbers; how many targets were recorded."""
    entries = []
    for target in sorted(targets, key=lambda t: t.ref.display):
        measured = numbers(target.outcome)
        if measured is not None:
            entries.append({"target": target.ref.display, **measured})
    write_json(path, {"version": 1, "torch": torch_version, "targets": entries})
    return len(entries)


def load(path: Path) -> dict[str, dict]:
    data = read_json(path, "expected-metrics file", "targets", ExpectedError)
    out = {}
    for entry in data["targets"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("target"), str) or not all(
                isinstance(entry.get(k), int) for k in FIELDS):
            raise ExpectedError(f"{path}: an entry is not {{'target': str, 'graphs': int, 'breaks': int, "
                                f"'recompiles': int}}: {entry!r}")
        out[entry["target"]] = {k: entry[k] for k in FIELDS}
    return out


@dataclass
class Change:
    target: str
    #: field -> (expected, now)
    changed: dict

    def describe(self) -> str:
        return ", ".join(f"{name} {was} -> {now} ({now - was:+d})" for name, (was, now) in self.changed.items())


@dataclass
class Comparison:
    failed: list[Change] = field(default_factory=list)
    improved: list[Change] = field(default_factory=list)
    new: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"failed": [{"target": c.target, **{k: {"expected": a, "now": b} for k, (a, b) in c.changed.items()}}
                           for c in self.failed],
                "improved": [{"target": c.target, **{k: {"expected": a, "now": b} for k, (a, b) in c.changed.items()}}
                             for c in self.improved],
                "new": self.new, "missing": self.missing}


def compare(expected: dict[str, dict], targets: Sequence) -> Comparison:
    """Each target's numbers against the file's: more of any fails, fewer (and none more) is
    IMPROVED."""
    result = Comparison()
    ran = set()
    for target in sorted(targets, key=lambda t: t.ref.display):
        name = target.ref.display
        ran.add(name)
        measured = numbers(target.outcome)
        if name not in expected:
            if measured is not None:
                result.new.append(name)
            continue
        if measured is None:
            continue  # a target that failed is reported as CA903 already
        was = expected[name]
        worse = {k: (was[k], measured[k]) for k in FIELDS if measured[k] > was[k]}
        better = {k: (was[k], measured[k]) for k in FIELDS if measured[k] < was[k]}
        if worse:
            result.failed.append(Change(name, worse))
        elif better:
            result.improved.append(Change(name, better))
    result.missing = sorted(set(expected) - ran)
    return result
