"""The distribution ships every package of the source tree."""

import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from conftest import ROOT


def test_every_subpackage_is_listed_in_pyproject():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    found = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "compile_audit").rglob("__init__.py")
    }
    found.add("compile_audit.rules")
    assert listed == found
    assert config["package-dir"]["compile_audit.rules"] == "rules"
    assert (ROOT / "rules" / "__init__.py").exists()


def test_the_matrix_venv_gets_the_test_extra_without_its_torch_pin():
    import tomllib

    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["test"]
    source = (ROOT / "dev.py").read_text()
    for requirement in extra:
        if not requirement.startswith("torch"):
            assert f'"{requirement}"' in source, f"dev.py's MATRIX_TOOLS lacks {requirement}"
