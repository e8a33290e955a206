#!/usr/bin/env python3
"""Everything on a fresh machine with only Python 3.10+:

    python3 dev.py demo     # scan the bundled seed fixtures: static, then with --confirm
    python3 dev.py test     # run the whole test suite (what .ci/run calls)
    python3 dev.py matrix   # the dynamic tests on the other proven torch releases (.ci/run too)
    python3 dev.py proofs   # rewrite the proof records of every release, then the docs

`demo` and `test` create ./.venv and install compile-audit with its test extra (libcst, rich,
pytest, torch==2.13.0 CPU) when pyproject.toml changed since the last install. `matrix` keeps one
venv per other release (torch 2.14.1: a CUDA build of about 5 GB that runs on the CPU) in
~/.cache/compile-audit/venvs (COMPILE_AUDIT_VENVS moves it), made once and reused by every clone.
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


#: the releases besides .venv's 2.13.0 the proofs run on (the newest pip installs here)
MATRIX = ("2.14.1",)
#: the test extra without its torch pin (tests/test_packaging.py keeps the two in step)
MATRIX_TOOLS = ("pytest>=8", "numpy>=1.26", "jsonschema>=4.20", "pre-commit>=3.5", "hypothesis>=6.100", "ruff==0.17.5",
                "hypothesmith>=0.3", "cloudpickle>=3", "pygls==2.1.1", "pytest-lsp==1.0.1",
                "pytest-xdist>=3.5")


def matrix_python(release: str) -> Path:
    """A venv with torch==release and compile-audit installed from this checkout (editable)."""
    cache = Path(os.environ.get("COMPILE_AUDIT_VENVS") or Path.home() / ".cache" / "compile-audit" / "venvs")
    folder = cache / f"torch-{release}"
    python = folder / ("Scripts" if os.name == "nt" else "bin") / ("python.exe" if os.name == "nt" else "python")
    stamp = folder / ".dev-stamp"
    recipe = f"{ROOT}\n{release}\n{MATRIX_TOOLS}".encode()
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + recipe).hexdigest()
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    if not python.exists():
        print(f"dev: creating {folder} (torch {release})", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(folder)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
    print(f"dev: installing torch=={release} and compile-audit (editable) into {folder}", flush=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", f"torch=={release}", *MATRIX_TOOLS], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", "-e", str(ROOT), f"torch=={release}"], check=True)
    stamp.write_text(wanted)
    return python


def matrix(extra: list[str]) -> int:
    """The dynamic tests (rule proofs against each release's record, the fixtures' verdicts, the
    runner) on every release in MATRIX."""
    status = 0
    for release in MATRIX:
        python = matrix_python(release)
        print(f"dev: torch {release}", flush=True)
        status = status or run(str(python), "-m", "pytest", "-m", "dynamic", *extra)
    return status


def proofs(extra: list[str]) -> int:
    """Rewrite compile_audit/proofs/torch-<release>.json on 2.13.0 and every MATRIX release, then
    the generated docs (docs/versions.md, docs/coverage.md, docs/rules/)."""
    for python in (PYTHON, *(matrix_python(r) for r in MATRIX)):
        if run(str(python), "-m", "compile_audit.maintain.proofs", "--write", *extra):
            return 1
    return run(str(PYTHON), "-m", "compile_audit.maintain.docs")


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
    # the path without audit files: record targets from a project's own tests, then confirm
    project = ROOT / "fixtures" / "tested_project"
    steps = ([cli, "record", "--", str(PYTHON), "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"], 0), \
        ([cli, "scan", "--confirm", *extra], 1)
    for argv, wanted in steps:
        print("$ (cd fixtures/tested_project) " + " ".join(argv), flush=True)
        status = subprocess.run(argv, cwd=project).returncode
        if status != wanted:
            print(f"dev: expected exit {wanted} from {argv[1]} in fixtures/tested_project, got {status}",
                  file=sys.stderr)
            return status or 1
    print("dev: demo passed: the fixture scans exited 1, as the fixtures hold graph breaks; the tested "
          "project's findings got their verdicts from its own tests")
    return 0


#: the suite's phases after the lint, each announced as it starts; on a 2-core machine the whole
#: command takes about 10 minutes (1,610 tests), the static phase alone (the fast subset,
#: `python3 dev.py test -m "not dynamic"`) about 2
TEST_PHASES = (
    ("static", "the tests that do not compile (about 2 minutes)", "not dynamic"),
    ("dynamic", "the tests that run torch.compile (about 8 minutes)", "dynamic"),
)


def test(extra: list[str]) -> int:
    """The lint of the project itself (ruff, pinned in the test extra), then the suite in its
    phases; with pytest arguments (`-m`, `-k`, paths), one pytest run with them instead."""
    phases = [(name, what, ["-m", marker]) for name, what, marker in TEST_PHASES] if not extra else \
        [("pytest", " ".join(extra), extra)]
    total = 1 + len(phases)
    print(f"dev: phase 1/{total}: lint: ruff on the project itself", flush=True)
    status = run(str(PYTHON), "-m", "ruff", "check", str(ROOT))
    if status != 0:
        print("dev: ruff found problems (see above); fix them or run `.venv/bin/ruff check --fix .`", file=sys.stderr)
        return status
    for number, (name, what, args) in enumerate(phases, 2):
        print(f"dev: phase {number}/{total}: {name}: {what}", flush=True)
        status = run(str(PYTHON), "-m", "pytest", *args)
        if status != 0:
            print(f"dev: phase {name} failed (pytest exit {status})", file=sys.stderr)
            return status
    return 0


def main() -> int:
    commands = {"demo": demo, "test": test, "matrix": matrix, "proofs": proofs}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    ensure_env()
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
