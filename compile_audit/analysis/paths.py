"""What a file's path says about its code: its module name, tests, data loading, code written for
torch.export.

This module imports no other module of the package.
"""

from __future__ import annotations

from pathlib import Path

#: folders whose modules are data loading and preprocessing: their nn.Module ``forward``s are
#: not taken as compiled unless the project compiles them
DATA_FOLDERS = frozenset({"data", "datasets", "transforms", "dataloader", "dataloaders", "augmentation",
                          "augmentations", "preprocessing"})
#: folders of code written for torch.export rather than torch.compile (export-only module
#: variants, export-based quantization whose observers run eagerly in the exported graph)
EXPORT_FOLDERS = frozenset({"export", "_export", "pt2e"})


def is_test_path(path: str) -> bool:
    parts = Path(path).parts
    name = Path(path).name
    return (
        name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"
        or any(p in ("tests", "test", "testing") for p in parts[:-1])
    )


def is_data_path(path: str) -> bool:
    return any(p in DATA_FOLDERS for p in Path(path).parts[:-1])


def is_export_path(path: str) -> bool:
    return any(p in EXPORT_FOLDERS for p in Path(path).parts[:-1])


def module_name(path: Path, roots: tuple = ()) -> tuple[str, bool]:
    """The dotted module name of a file, from the package folders (``__init__.py``) above it
    (or, outside packages, its path from the scan root: ``data/transforms.py`` is
    ``data.transforms``, as a namespace package); and whether it is a package's ``__init__``."""
    path = path.resolve()
    parts = [] if path.stem == "__init__" else [path.stem]
    folder = path.parent
    while (folder / "__init__.py").exists() and folder.parent != folder:
        parts.append(folder.name)
        folder = folder.parent
    for root in roots:
        root = Path(root).resolve()
        if folder == root:
            break
        if root in folder.parents:
            parts.extend(reversed(folder.relative_to(root).parts))
            break
    return ".".join(reversed(parts)) or path.stem, path.stem == "__init__"
