"""The libcst floors compile-audit is measured against (run by bench_static.py).

    python bench/floors.py parse FILE...      # libcst.parse_module on each file
    python bench/floors.py metadata FILE...   # parse + scope and position metadata, trivial visitor
"""

import sys

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider, QualifiedNameProvider, ScopeProvider


class Trivial(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (PositionProvider, ScopeProvider, QualifiedNameProvider)

    def visit_Call(self, node: cst.Call) -> None:
        self.get_metadata(PositionProvider, node)


def main() -> None:
    mode, files = sys.argv[1], sys.argv[2:]
    if len(files) == 1 and files[0].startswith("@"):
        files = open(files[0][1:]).read().split()
    for path in files:
        with open(path, "rb") as handle:
            data = handle.read()
        try:
            module = cst.parse_module(data)
        except Exception:  # noqa: BLE001 - a file the parser rejects costs what it costs
            continue
        if mode == "metadata":
            MetadataWrapper(module).visit(Trivial())


if __name__ == "__main__":
    main()
