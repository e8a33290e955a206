"""The vocabulary every layer shares: settings, sources and files, findings, the torch release, baselines and stored verdicts. Imports nothing above it."""
