from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


@pytest.fixture
def run_cli(monkeypatch, capsys):
    """Run the command line in-process from a working directory; returns (code, out, err)."""
    from compile_audit.cli import main

    def run(*argv, cwd=None):
        if cwd is not None:
            monkeypatch.chdir(cwd)
        code = main([str(a) for a in argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run

# test data (projects the tests copy and run) is not part of this suite
collect_ignore_glob = ["data/*"]
