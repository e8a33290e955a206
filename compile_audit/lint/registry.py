"""Every rule, found by importing the modules of ``compile_audit.rules``; selection by code.

``catalog()`` answers what selection needs (each rule's code, name, whether it is the tool's
own, its torch range) from ``compile_audit/data/rules.json``, written by
``python -m compile_audit.maintain.docs`` and checked against the rules by the tests: a scan whose files
are all in the cache then imports neither the rules nor libcst."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import sys
from functools import lru_cache
from pathlib import Path
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Optional

from compile_audit.core.findings import register_rule_lookup

if TYPE_CHECKING:  # pragma: no cover
    from compile_audit.lint.rule import Rule

CATALOG = Path(__file__).resolve().parent.parent / "data" / "rules.json"


@dataclass(frozen=True)
class RuleInfo:
    """What selecting a rule needs to know of it, without importing it."""

    code: str
    name: str
    own: bool
    torch_versions: str

    def applies_to_torch(self, version: Optional[str]) -> bool:
        from compile_audit.core.versions import version_matches

        return version is None or version_matches(version, self.torch_versions)


def catalog_entries(rules) -> list[dict]:
    return [{"code": r.code, "name": r.name, "own": bool(r.own), "torch_versions": r.torch_versions} for r in rules]


@lru_cache(maxsize=1)
def catalog() -> tuple[RuleInfo, ...]:
    """Every rule's ``RuleInfo``: from the committed catalog, else from the rules themselves."""
    try:
        entries = json.loads(CATALOG.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        entries = catalog_entries(all_rules())
    return tuple(RuleInfo(**entry) for entry in entries)


def _rules_package():
    """``compile_audit.rules``: installed from the top-level ``rules/`` folder, or, when the
    package is imported from a source checkout that shadows the installed one (running from
    the repository root), loaded from ``rules/`` beside it."""
    try:
        import compile_audit.rules as package

        return package
    except ModuleNotFoundError:
        folder = Path(__file__).resolve().parent.parent.parent / "rules"
        spec = importlib.util.spec_from_file_location(
            "compile_audit.rules", folder / "__init__.py", submodule_search_locations=[str(folder)]
        )
        if spec is None or spec.loader is None:
            raise
        package = importlib.util.module_from_spec(spec)
        sys.modules["compile_audit.rules"] = package
        spec.loader.exec_module(package)
        return package


@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    from compile_audit.lint.rule import Rule

    package = _rules_package()

    found: dict[str, type[Rule]] = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Rule) and value is not Rule and value.__module__ == module.__name__:
                if value.code in found:
                    raise RuntimeError(f"rule code {value.code} is defined twice")
                found[value.code] = value
    return tuple(sorted(found.values(), key=lambda r: r.code))


@lru_cache(maxsize=1)
def _by_code() -> dict:
    table = {}
    for rule in all_rules():
        table[rule.code] = rule
        table.setdefault(rule.name.upper(), rule)
    return table


def rule_by_code(code: str) -> Optional[type[Rule]]:
    """The rule with this code (or name), or None."""
    return _by_code().get(code.upper())


# a finding knows its rule from its code (``Finding.rule``)
register_rule_lookup(rule_by_code)


def _matches(code: str, selector: str) -> bool:
    selector = selector.strip().upper()
    return selector == "ALL" or code.startswith(selector)


def known_selector(selector: str) -> bool:
    return any(_matches(r.code, selector) for r in catalog())


def select_rules(
    select: Optional[Iterable[str]] = None,
    ignore: Iterable[str] = (),
    extend_select: Iterable[str] = (),
    rules: Optional[Iterable] = None,
) -> list:
    """ruff's semantics: ``select`` replaces the default (all rules), ``extend_select`` adds,
    ``ignore`` removes; prefixes such as ``CA2`` select a band. Chooses among ``rules`` (the
    rule classes by default; ``catalog()`` to select without importing them)."""
    select = list(select) if select is not None else ["ALL"]
    ignore = list(ignore)
    chosen = []
    for rule in all_rules() if rules is None else rules:
        if rule.own:
            # the tool's own findings (a file that does not parse, a break no rule predicted, a
            # target that failed) are always reported, unless ignored by their exact code
            if not ignores_own(rule.code, ignore):
                chosen.append(rule)
            continue
        selected = any(_matches(rule.code, s) for s in [*select, *extend_select])
        if selected and not any(_matches(rule.code, i) for i in ignore):
            chosen.append(rule)
    return chosen


def ignores_own(code: str, ignore: Iterable[str]) -> bool:
    """Whether ``ignore`` names the tool's own ``code`` exactly (a prefix such as ``CA9`` or ``ALL``
    does not hide them)."""
    return any(i.strip().upper() == code.upper() for i in ignore)
