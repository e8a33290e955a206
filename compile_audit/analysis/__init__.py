"""What the code means: names, the per-file compiled scope, the value model, the project index, the torch API tables. Never imports user code."""
