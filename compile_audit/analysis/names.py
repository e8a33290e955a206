"""Qualified names without libcst's ScopeProvider: an alias table built from the imports.

``import torch.nn.functional as F`` makes ``F.softmax`` resolve to
``torch.nn.functional.softmax``; ``from torch.nn.attention.flex_attention import
flex_attention as fa`` makes ``fa`` resolve to the full path. A module-level
``name = torch.compile(other)`` keeps ``other``'s name, so a compiled ``flex_attention`` is
still recognised. The table is flow-insensitive (imports inside ``try`` blocks and functions
count), which is what a linter wants: the cost is one pass over the import statements instead
of a full scope analysis.
"""

from __future__ import annotations

import builtins
from typing import Optional, Union

import libcst as cst

_BUILTINS = frozenset(dir(builtins))


def dotted_name(node: cst.BaseExpression) -> Optional[str]:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    parts = []
    # type() rather than isinstance(): libcst's node classes are ABCs, whose isinstance checks
    # are slow, and Attribute and Name have no subclasses
    while type(node) is cst.Attribute:
        parts.append(node.attr.value)
        node = node.value
    if type(node) is cst.Name:
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


def absolute(module: str, is_package: bool, level: int, name: Optional[str]) -> str:
    """``from ..x import y`` inside ``module``: the absolute name of ``..x``."""
    if level == 0:
        return name or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (level - 1)] if level > 1 else base
    return ".".join([*base, name] if name else base)


def _module_name(node: Union[cst.Attribute, cst.Name, None]) -> str:
    return dotted_name(node) if node is not None else ""  # type: ignore[return-value]


class ImportMap:
    def __init__(self, module: Optional[str] = None, package: bool = False, project=None) -> None:
        #: the file's module name and whether it is a package ``__init__`` (relative imports)
        self.module = module
        self.package = package
        #: the project index (``compile_audit.analysis.project``): re-exports and aliases of other files
        self.project = project
        self.aliases: dict[str, str] = {}
        #: Names bound in the file by something other than an import (def, class, assignment):
        #: they shadow builtins.
        self.local_names: set[str] = set()

    def add_import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = _module_name(alias.name)
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.aliases[alias.asname.name.value] = full
            else:
                head = full.split(".")[0]
                self.aliases[head] = head

    def add_import_from(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        module = "." * len(node.relative) + _module_name(node.module)
        if node.relative and self.module is not None:
            module = absolute(self.module, self.package, len(node.relative), _module_name(node.module) or None)
        for alias in node.names:
            name = _module_name(alias.name)
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self.aliases[local] = f"{module}.{name}" if module else name

    def add_alias(self, local: str, qualified: str) -> None:
        self.aliases[local] = qualified

    def resolve(self, node: cst.BaseExpression) -> Optional[str]:
        """The qualified name of a Name/Attribute chain, or None when unknown."""
        dotted = dotted_name(node)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        if head in self.aliases:
            base = self.aliases[head]
        elif head in _BUILTINS and head not in self.local_names:
            base = f"builtins.{head}"
        elif self.project is not None and self.module is not None and f"{self.module}.{head}" in self.project.aliases:
            base = f"{self.module}.{head}"
        else:
            return None
        qualified = f"{base}.{rest}" if rest else base
        if self.project is not None and not qualified.startswith(("torch.", "builtins.")):
            qualified = self.project.resolve(qualified)
        return qualified
