"""Reading a file as Python source: bytes -> text, as the interpreter would.

Honours a BOM and a PEP 263 coding cookie; keeps CRLF line ends (libcst round-trips them);
rejects NUL bytes and undecodable input with a message that becomes a CA901 finding.
"""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass


class SourceError(Exception):
    """The file cannot be read as Python source; ``line``/``column`` are 1-based."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass
class Source:
    text: str
    encoding: str

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


def decode(data: bytes) -> Source:
    if b"\x00" in data:
        offset = data.index(b"\x00")
        line = data.count(b"\n", 0, offset) + 1
        raise SourceError("source contains a NUL byte (binary file?)", line)
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:  # unknown codec in the cookie, BOM + other cookie, bad UTF-8
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as bad:
            line = data.count(b"\n", 0, bad.start) + 1
            raise SourceError(f"cannot decode as utf-8: {bad.reason} at byte {bad.start}", line) from None
        raise SourceError(f"cannot detect the encoding: {exc.msg}", exc.lineno or 1) from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceError(f"cannot decode as {encoding}: {exc.reason} at byte {exc.start}", line) from None
    except LookupError:
        raise SourceError(f"unknown encoding {encoding!r}") from None
    return Source(text, encoding)
