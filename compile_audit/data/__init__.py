"""Data files the static core reads (the graph-break registry snapshot of docs/coverage.md)."""
