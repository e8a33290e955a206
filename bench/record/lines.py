"""A pytest plugin (``-p lines``) that writes the lines a test session executes in one folder:
``LINES_ROOT`` (the library's sources), ``LINES_OUT`` (the JSON file: path -> sorted lines).

Used by ``measure.py`` to know which static findings sit in code the tests execute."""

import json
import os
import sys
import threading
from collections import defaultdict

ROOT = os.path.abspath(os.environ["LINES_ROOT"]) + os.sep
HIT: dict = defaultdict(set)


def _local(frame, event, arg):
    if event == "line":
        HIT[frame.f_code.co_filename].add(frame.f_lineno)
    return _local


def _global(frame, event, arg):
    return _local if frame.f_code.co_filename.startswith(ROOT) else None


def pytest_configure(config):
    sys.settrace(_global)
    threading.settrace(_global)


def pytest_unconfigure(config):
    sys.settrace(None)
    with open(os.environ["LINES_OUT"], "w", encoding="utf-8") as stream:
        json.dump({path: sorted(lines) for path, lines in HIT.items()}, stream)
