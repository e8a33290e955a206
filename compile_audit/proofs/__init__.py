"""What Dynamo did with every rule example, per torch release: the proof records.

Each ``torch-<version>[-<device>-<backend>].json`` beside this file is written by a real run
(``python -m compile_audit.maintain.proofs --write``, under that torch) and re-checked by the test
suite on that release. A record holds, for every rule example with a target, what Dynamo did
(its *behaviour*), and the verdicts of the bundled fixtures. The static layer reads the records
(never torch): which releases are proven, what a rule's pattern does on each (the rule pages
and ``docs/versions.md``), and which release to assume when none is known.

Behaviours: ``fullgraph`` (breaks under ``fullgraph=True``, so in both modes), ``default``
(breaks in default mode, captured under ``fullgraph=True``), ``recompile`` (compiles whole, then
recompiles on the second call), ``eager`` (fails even without ``torch.compile``), ``compiles``
(compiles whole), ``error`` (the example's target could not run).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional, Protocol, Sequence

from compile_audit.core.versions import version_matches

HERE = Path(__file__).resolve().parent

#: what each behaviour is called in the docs and on the rule pages
WORDS = {
    "fullgraph": "breaks in both modes",
    "default": "breaks in default mode only",
    "recompile": "compiles, recompiles on a second call",
    "eager": "fails without compile",
    "compiles": "compiles whole",
    "error": "target failed",
}
#: the behaviour a rule's ``proof`` (one of ``compile_audit.lint.rule.PROOFS``) stands for
PROOF_BEHAVIOUR = {"fullgraph": "fullgraph", "default": "default", "recompile": "recompile", "eager": "eager",
                   "none": "compiles"}


# The rules are built on the records (which releases are proven, a rule's range), so the records
# name the parts of a rule class (``compile_audit.lint.rule.Rule``) and of its examples they read by
# their shape rather than by importing them.
class ExampleLike(Protocol):
    @property
    def target(self) -> Optional[str]: ...

    def applies_to_torch(self, version: Optional[str]) -> bool: ...


class RuleLike(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def proof(self) -> Optional[str]: ...

    @property
    def INVALID(self) -> Sequence[ExampleLike]: ...  # noqa: N802 - the rule's attribute

    def applies_to_torch(self, version: Optional[str]) -> bool: ...


def release_key(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split("+")[0].split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


@dataclass
class Record:
    """One real run of every example (or a subset: ``rules``) on one torch, device, backend."""

    torch: str
    device: str = "cpu"
    backend: str = "eager"
    python: str = ""
    #: the rule-code prefixes the run covered (empty: every rule)
    rules: list[str] = field(default_factory=list)
    #: "CA101/invalid/0" -> {"behaviour": ..., "line": int|None, "gb": str|None}
    examples: dict[str, dict] = field(default_factory=dict)
    #: fixture target -> verdict text; fixture findings -> status
    fixtures: dict[str, dict] = field(default_factory=dict)
    path: Optional[Path] = None

    @property
    def name(self) -> str:
        return f"torch {self.torch}" + ("" if (self.device, self.backend) == ("cpu", "eager")
                                        else f" ({self.device}, {self.backend})")

    @property
    def primary(self) -> bool:
        """A CPU/eager run of every rule: the records that decide the rules' ranges."""
        return (self.device, self.backend) == ("cpu", "eager") and not self.rules

    def covers(self, code: str) -> bool:
        return not self.rules or code.startswith(tuple(self.rules))

    def to_json(self) -> str:
        data = {"torch": self.torch, "device": self.device, "backend": self.backend, "python": self.python,
                "rules": self.rules, "examples": dict(sorted(self.examples.items())), "fixtures": self.fixtures}
        return json.dumps(data, indent=1, sort_keys=False) + "\n"

    @staticmethod
    def file_name(torch: str, device: str = "cpu", backend: str = "eager") -> str:
        suffix = "" if (device, backend) == ("cpu", "eager") else f"-{device}-{backend}"
        return f"torch-{torch}{suffix}.json"


def example_key(rule_code: str, kind: str, index: int) -> str:
    return f"{rule_code}/{kind}/{index}"


@lru_cache(maxsize=1)
def records() -> tuple[Record, ...]:
    """Every committed record, oldest release first."""
    out = []
    for path in HERE.glob("torch-*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        out.append(Record(data["torch"], data.get("device", "cpu"), data.get("backend", "eager"),
                          data.get("python", ""), data.get("rules", []), data.get("examples", {}),
                          data.get("fixtures", {}), path))
    return tuple(sorted(out, key=lambda r: (release_key(r.torch), r.device, r.backend)))


def proven_releases() -> list[str]:
    """The releases every rule is proven on (CPU, eager), oldest first."""
    return [r.torch for r in records() if r.primary]


def record_for(version: str, device: str = "cpu", backend: str = "eager") -> Optional[Record]:
    for record in records():
        if record.torch == version.split("+")[0] and (record.device, record.backend) == (device, backend):
            return record
    return None


def expected_behaviour(rule: RuleLike, kind: str, example: ExampleLike, version: str) -> str:
    """What the example must do on ``version``: its rule's proof where the rule and the example
    apply to that release, else compile whole (a pattern Dynamo traces there is gated off)."""
    if kind == "valid":
        return "compiles"
    if rule.applies_to_torch(version) and example.applies_to_torch(version):
        return PROOF_BEHAVIOUR[rule.proof]
    return "compiles"


def _phrase(seen: list[str]) -> Optional[str]:
    if not seen:
        return None
    counts: dict[str, int] = {}
    for behaviour in seen:
        counts[behaviour] = counts.get(behaviour, 0) + 1
    if len(counts) == 1:
        return WORDS[seen[0]]
    return ", ".join(f"{n} of {len(seen)} {WORDS[b]}" for b, n in sorted(counts.items(), key=lambda kv: -kv[1]))


def rule_behaviour(rule: RuleLike, record: Record) -> Optional[str]:
    """What a rule's INVALID examples did in ``record``, as a phrase (one word when they agree,
    else each behaviour with its count); the examples whose own range leaves this release out
    (patterns Dynamo traces there, which the rule does not flag) are said apart."""
    held, narrowed = [], []
    for index, example in enumerate(rule.INVALID):
        entry = record.examples.get(example_key(rule.code, "invalid", index)) if example.target else None
        if entry is not None:
            (held if example.applies_to_torch(record.torch) else narrowed).append(entry["behaviour"])
    phrase = _phrase(held)
    if narrowed:
        extra = f"{len(narrowed)} pattern{'s' if len(narrowed) > 1 else ''} not flagged here: {_phrase(narrowed)}"
        phrase = f"{phrase} ({extra})" if phrase else extra
    return phrase


def verdict_lines(rule: RuleLike) -> list[str]:
    """One line per record that ran the rule: what its INVALID examples did there."""
    lines = []
    for record in records():
        if not record.covers(rule.code):
            continue
        phrase = rule_behaviour(rule, record)
        if phrase is None:
            continue
        gated = "" if rule.applies_to_torch(record.torch) else " (the rule is off for this release)"
        lines.append(f"- {record.name}: {phrase}{gated}")
    return lines


def in_range(version: str, spec: Optional[str]) -> bool:
    return spec is None or version_matches(version, spec)
