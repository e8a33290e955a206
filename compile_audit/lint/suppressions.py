"""``# noqa`` comments: per line (``# noqa``, ``# noqa: CA101, CA102``) and per file
(``# compile-audit: noqa`` or ``# compile-audit: noqa: CA101``)."""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field
from typing import Optional

_LINE = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
_FILE = re.compile(
    r"#\s*compile-audit:\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.IGNORECASE
)
_SPLIT = re.compile(r"[\s,]+")


@dataclass
class Suppressions:
    #: line -> None (blanket) or the set of codes
    lines: dict[int, Optional[frozenset[str]]] = field(default_factory=dict)
    file_all: bool = False
    file_codes: frozenset[str] = frozenset()

    def suppresses(self, code: str, line: int) -> bool:
        if self.file_all or code in self.file_codes:
            return True
        if line not in self.lines:
            return False
        codes = self.lines[line]
        return codes is None or code in codes


def _codes(match: re.Match) -> Optional[frozenset[str]]:
    text = match.group("codes")
    return None if text is None else frozenset(c.upper() for c in _SPLIT.split(text.strip()) if c)


def _comments(text: str):
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                yield tok.start[0], tok.string
    except (tokenize.TokenError, SyntaxError, IndentationError):
        # libcst accepted the file but tokenize did not: fall back to a line scan
        for number, line in enumerate(text.splitlines(), 1):
            if "#" in line:
                yield number, line[line.index("#") :]


def parse(text: str) -> Suppressions:
    result = Suppressions()
    if "noqa" not in text and "NOQA" not in text:
        return result
    file_codes: set[str] = set()
    for line, comment in _comments(text):
        file_match = _FILE.search(comment)
        if file_match:
            codes = _codes(file_match)
            if codes is None:
                result.file_all = True
            else:
                file_codes |= codes
            continue
        match = _LINE.search(comment)
        if match:
            result.lines[line] = _codes(match)
    result.file_codes = frozenset(file_codes)
    return result
