"""``compile-audit merge``: the JSON reports of sharded runs (``scan --confirm --shard K/N``) of
the same code, joined into the report one run of every target gives.

Every shard scans the same files, so the static findings are the same; what differs is which
targets ran. A finding gets the strongest verdict any shard gave it (a break seen anywhere
confirms it; else a target that traced it without a break refutes it; else it ran untraced
somewhere; else no target reached it), with that shard's sentence and target; a confirmed
finding counts the targets of every shard that broke there. The breaks no rule predicted and
the failed targets are each shard's own; the targets are all of them, by name; ranks and the
summary are computed again.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Sequence

from compile_audit.core.findings import STATUSES, ranks

#: which verdict wins when shards disagree (one run sees every target)
STRENGTH = {"confirmed": 5, "dynamic": 5, "refuted": 4, "untraced": 3, "unreached": 2, "static": 1}


class MergeError(Exception):
    pass


def _key(finding: dict) -> tuple:
    return (finding["path"], finding["line"], finding["column"], finding["code"])


def merge(paths: Sequence[Path]) -> dict:
    """The reports (or the verdict files, ``--save-verdicts``) joined; MergeError on bad input."""
    documents = []
    for path in paths:
        try:
            documents.append(json.loads(Path(path).read_text(encoding="utf-8")))
        except OSError as exc:
            raise MergeError(f"cannot read {path}: {exc.strerror or exc}") from None
        except ValueError as exc:
            raise MergeError(f"{path} is not valid JSON: {exc}") from None
    kinds = ["verdicts" if isinstance(d, dict) and isinstance(d.get("verdicts"), list) else
             "report" if isinstance(d, dict) and d.get("schema") == 1 and "findings" in d else None
             for d in documents]
    for path, kind in zip(paths, kinds):
        if kind is None:
            raise MergeError(f"{path} is not a compile-audit JSON report (schema 1) or verdict file")
    if len(set(kinds)) > 1:
        raise MergeError("merge reports with reports and verdict files with verdict files")
    if kinds[0] == "verdicts":
        return merge_verdicts(documents)
    releases = {d.get("torch") for d in documents}
    if len(releases) > 1:
        raise MergeError(f"the reports ran on different torch releases ({', '.join(sorted(map(str, releases)))}): "
                         "merge the shards of one run")
    first = documents[0]
    findings: dict[tuple, dict] = {}
    breaks_at: Counter = Counter()
    for document in documents:
        for finding in document["findings"]:
            key = _key(finding)
            if finding["status"] in ("confirmed", "dynamic"):
                impact = finding.get("impact") or {}
                breaks_at[key] += max(1, impact.get("targets") or 0)
            held = findings.get(key)
            if held is None or STRENGTH.get(finding["status"], 0) > STRENGTH.get(held["status"], 0):
                findings[key] = dict(finding)
    merged = []
    for key, finding in findings.items():
        impact = finding.get("impact")
        if impact is not None and breaks_at[key]:
            finding["impact"] = {**impact, "targets": breaks_at[key]}
        merged.append(finding)
    _rank(merged)
    merged.sort(key=_key)
    errors = {(e["path"], e["message"]): e for d in documents for e in d.get("errors", [])}
    by_status = Counter(f["status"] for f in merged)
    out = {
        "schema": 1,
        "tool": first.get("tool"),
        "torch": first.get("torch"),
        "findings": merged,
        "errors": list(errors.values()),
        "summary": {"files": max(d.get("summary", {}).get("files", 0) for d in documents), "findings": len(merged),
                    "by_status": {status: by_status.get(status, 0) for status in STATUSES}},
    }
    if "target_torch" in first:
        out["target_torch"] = first["target_torch"]
    if any("targets" in d for d in documents):
        out["targets"] = sorted((t for d in documents for t in d.get("targets", [])), key=lambda t: t["target"])
    return out


def _rank(findings: list[dict]) -> None:
    """Ranks again over the merged findings (``core.findings.ranks``)."""
    first = ranks(f["impact"].get("weight", -1) if f.get("impact") else -1 for f in findings)
    for finding in findings:
        if finding.get("impact"):
            finding["impact"]["rank"] = first[finding["impact"].get("weight", -1)]


def merge_verdicts(documents: Sequence[dict]) -> dict:
    """Verdict files of the shards of one run: for each finding (rule, path, fingerprint, and
    which of identical findings), the strongest verdict any shard stored."""
    settings = {(d.get("torch"), d.get("backend"), d.get("device")) for d in documents}
    if len(settings) > 1:
        raise MergeError("the verdict files come from different torch releases, backends or devices: "
                         "merge the shards of one run")
    kept: dict[tuple, list] = {}
    for document in documents:
        seen: Counter = Counter()
        for entry in document["verdicts"]:
            key = (entry["code"], entry["path"], entry["fingerprint"])
            index = seen[key]
            seen[key] += 1
            entries = kept.setdefault(key, [])
            if index >= len(entries):
                entries.append(entry)
            elif STRENGTH.get(entry["status"], 0) > STRENGTH.get(entries[index]["status"], 0):
                entries[index] = entry
    first = documents[0]
    return {**{k: v for k, v in first.items() if k != "verdicts"},
            "verdicts": [entry for key in sorted(kept) for entry in kept[key]]}
