"""The static linter: the rule contract, the engine that runs rules over one buffer, suppressions, fixes, the cache and the parallel scan, and the session that resolves the settings once."""
