"""Maintainer generators (``python -m compile_audit.maintain.<name>``): docs pages, coverage, the GB registry snapshot, proof records, torch type tables. Nothing imports them at run time."""
