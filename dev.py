#!/usr/bin/env python3
"""Everything on a fresh machine with only Python 3.10+:

    python3 dev.py demo   # scan the bundled seed fixtures: static, then with --confirm
    python3 dev.py test   # run the whole test suite (what .ci/run calls)

Each command creates ./.venv and installs compile-audit with its test extra (libcst, rich,
pytest, torch==2.13.0 CPU) when pyproject.toml changed since the last install.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".dev-stamp"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def ensure_env() -> None:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if PYTHON.exists() and STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not PYTHON.exists():
        print(f"dev: creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    print("dev: installing compile-audit[test] (editable)", flush=True)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "-q", "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(wanted)


def run(*argv: str) -> int:
    print("$ " + " ".join(argv), flush=True)
    return subprocess.run(list(argv), cwd=ROOT).returncode


def demo(extra: list[str]) -> int:
    cli = str(BIN / "compile-audit")
    for confirm in ([], ["--confirm"]):
        status = run(cli, "scan", "fixtures/", *confirm, *extra)
        if status != 1:
            print(f"dev: expected exit 1 (the fixtures hold graph breaks), got {status}", file=sys.stderr)
            return status or 1
    print("dev: demo passed: both scans exited 1, as the fixtures hold graph breaks")
    return 0


def test(extra: list[str]) -> int:
    return run(str(PYTHON), "-m", "pytest", *extra)


def main() -> int:
    commands = {"demo": demo, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    ensure_env()
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
