"""Reporters: one module per output format, each ``render(result, stream, **options)``."""

from __future__ import annotations

from typing import Callable, TextIO

from compile_audit.report import json_format, text

FORMATS: dict[str, Callable[..., None]] = {
    "text": text.render,
    "json": json_format.render,
}


def render(fmt: str, result, stream: TextIO, **options) -> None:
    FORMATS[fmt](result, stream, **options)
