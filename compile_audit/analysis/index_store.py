"""Where the project index keeps each file's part between runs: ``.compile_audit_cache/index/``,
one JSON file per part, keyed by the hash of the file's content and module name (computed by
``ProjectIndex.cached_contribution``), written atomically; an unreadable entry is a miss."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Optional

#: the interpreter whose parser a part records having accepted the file (``parsed_by``)
PARSER = ".".join(map(str, sys.version_info[:2]))


def load(folder: Path, key: str) -> Optional[dict]:
    try:
        return json.loads((folder / "index" / key[:2] / f"{key}.json").read_text())
    except (OSError, ValueError):
        return None


def store(folder: Path, key: str, contribution: dict) -> None:
    target = folder / "index" / key[:2] / f"{key}.json"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(contribution))
        os.replace(tmp, target)
    except OSError:
        pass  # a read-only cache: index without it
