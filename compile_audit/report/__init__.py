"""Reporters: one module per output format, each ``render(result, stream, **options)``."""

from __future__ import annotations

from typing import Callable, TextIO

from compile_audit.report import github, json_format, junit, sarif, text

FORMATS: dict[str, Callable[..., None]] = {
    "text": text.render,
    "json": json_format.render,
    "sarif": sarif.render,
    "github": github.render,
    "junit": junit.render,
}


def render(fmt: str, result, stream: TextIO, **options) -> None:
    FORMATS[fmt](result, stream, **options)
