"""Torch release numbers against specifiers (``">=2.5"``, ``"<2.14"``): what every layer that
reads a rule's or an example's range needs (the rules, the proof records, the release that
findings are for), kept below all of them."""

from __future__ import annotations


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split("+")[0].split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
        if not piece.isdigit():
            break
    return tuple(parts)


def version_matches(version: str, spec: str) -> bool:
    """A small subset of PEP 440 specifiers (``>=``, ``<``, ``<=``, ``>``, ``==``, ``!=``,
    comma-separated), enough for torch release ranges, without depending on ``packaging``."""
    have = _version_tuple(version)
    for clause in filter(None, (c.strip() for c in spec.split(","))):
        for op in (">=", "<=", "==", "!=", ">", "<"):
            if clause.startswith(op):
                want = _version_tuple(clause[len(op) :].strip())
                break
        else:
            raise ValueError(f"bad torch version specifier {spec!r}")
        width = max(len(have), len(want))
        a = have + (0,) * (width - len(have))
        b = want + (0,) * (width - len(want))
        ok = {">=": a >= b, "<=": a <= b, "==": a == b, "!=": a != b, ">": a > b, "<": a < b}[op]
        if not ok:
            return False
    return True
