"""Reporters: one module per output format, each ``render(result, stream, **options)``.

Each is imported when its format is asked for: a JSON report does not import rich, a text
report does not import the rule pages SARIF embeds."""

from __future__ import annotations

import importlib
from typing import TextIO

#: format -> the module that renders it
FORMATS: dict[str, str] = {
    "text": "text",
    "json": "json_format",
    "sarif": "sarif",
    "github": "github",
    "junit": "junit",
    "html": "html",
}


def render(fmt: str, result, stream: TextIO, **options) -> None:
    importlib.import_module(f"compile_audit.report.{FORMATS[fmt]}").render(result, stream, **options)
