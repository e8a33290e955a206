"""The package's import graph has no cycle, no chain of imports longer than ``MAX_CHAIN`` modules,
and no module longer than ``MAX_LINES`` lines.

Every import of a ``compile_audit`` module counts: at module level, inside functions and
methods, and under ``if TYPE_CHECKING:``. A type-only or function-level import still says
"this module needs that one"; a cycle through one means neither module can be understood,
tested or moved without the other. ``compile_audit.rules`` is the top-level ``rules/`` folder.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Optional

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"compile_audit": ROOT / "compile_audit", "compile_audit.rules": ROOT / "rules"}


def _modules() -> dict[str, Path]:
    """Module name -> file, for every module of the package and of the rules."""
    found: dict[str, Path] = {}
    for package, folder in PACKAGES.items():
        for path in sorted(folder.rglob("*.py")):
            relative = path.relative_to(folder).with_suffix("")
            parts = [p for p in relative.parts]
            if parts[-1] == "__init__":
                parts = parts[:-1]
            name = ".".join([package, *parts])
            if package == "compile_audit" and name.startswith("compile_audit.rules"):
                continue
            found[name] = path
    return found


def _resolve_relative(module: str, path: Path, level: int, target: Optional[str]) -> str:
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - (level - 1)]
    return ".".join([*base, target] if target else base)


def _imports(module: str, path: Path, known: set[str]) -> dict[str, int]:
    """The ``compile_audit`` modules ``module`` imports (anywhere in the file) -> first line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    out: dict[str, int] = {}

    def add(name: str, line: int) -> None:
        # ``import compile_audit.a.b`` needs compile_audit.a.b (and runs the packages above it,
        # which are ancestors, not edges worth reporting: __init__ modules are counted as their
        # own modules when they are imported by name)
        while name and name not in known:
            name = name.rpartition(".")[0]
        if name and name != module:
            out.setdefault(name, line)

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "compile_audit" or alias.name.startswith("compile_audit."):
                    add(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve_relative(module, path, node.level, node.module) if node.level else (node.module or "")
            if not (base == "compile_audit" or base.startswith("compile_audit.")):
                continue
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                # ``from compile_audit import fix``: the submodule, when ``fix`` is one
                add(submodule if submodule in known else base, node.lineno)
    return out


def import_graph() -> dict[str, dict[str, int]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def tangles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components of ``graph`` with more than one module (or a module
    that imports itself): each is a set of modules that all reach each other through imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return sorted(found)


def shortest_cycle(graph: dict[str, dict[str, int]], members: list[str]) -> list[str]:
    """A shortest cycle through the first of ``members`` (a tangle), as ``[a, b, ..., a]``."""
    start = members[0]
    inside = set(members)
    parent: dict[str, str] = {}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node]):
            if target == start:
                path = [node]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                return [*reversed(path), start]
            if target in inside and target not in parent:
                parent[target] = node
                queue.append(target)
    raise AssertionError(f"{members} is not a cycle")


def find_cycle(graph: dict[str, dict[str, int]]) -> Optional[list[str]]:
    """One cycle of ``graph`` as ``[a, b, ..., a]``, or None."""
    found = tangles(graph)
    return shortest_cycle(graph, found[0]) if found else None


def _describe(graph: dict[str, dict[str, int]]) -> str:
    modules = _modules()
    out = []
    for members in tangles(graph):
        cycle = shortest_cycle(graph, members)
        out.append(f"modules that import each other: {', '.join(members)}; a cycle among them:")
        for a, b in zip(cycle, cycle[1:]):
            out.append(f"  {a} -> {b}  ({modules[a].relative_to(ROOT)}:{graph[a][b]})")
    return "\n".join(out)


def test_the_graph_is_seen():
    graph = import_graph()
    assert "compile_audit.lint.engine" in graph and "compile_audit.rules.ca102_tensor_item" in graph
    assert "compile_audit.lint.rule" in graph["compile_audit.rules.ca102_tensor_item"]
    # type-only and function-level imports count
    assert "compile_audit.analysis.lattice" in graph["compile_audit.lint.rule"]
    assert "compile_audit.lint.engine" in graph["compile_audit.lint.fix"]


def test_no_import_cycle():
    graph = import_graph()
    if tangles(graph):
        pytest.fail(_describe(graph), pytrace=False)


#: what the rules and the layer they are written against never reach for: the drivers above them
ABOVE_THE_RULES = ("compile_audit.lint.fix", "compile_audit.lint.engine", "compile_audit.lint.scan", "compile_audit.lint.registry",
                   "compile_audit.cli", "compile_audit.dynamic", "compile_audit.report")


def test_rules_describe_fixes_without_the_fix_driver():
    graph = import_graph()
    lower = [m for m in graph if m.startswith("compile_audit.rules")]
    lower += ["compile_audit.lint.rule", "compile_audit.lint.context", "compile_audit.lint.edits"]
    reached = {(m, t) for m in lower for t in graph.get(m, {}) if t.startswith(ABOVE_THE_RULES)}
    assert not reached, sorted(reached)


def test_the_cycle_finder_finds_cycles():
    graph = {"a": {"b": 1}, "b": {"c": 2}, "c": {"a": 3}, "d": {"a": 4}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b": 1}, "b": {}}) is None
    assert tangles({"a": {"b": 1, "c": 1}, "b": {"a": 1}, "c": {"d": 1}, "d": {"c": 1}, "e": {"e": 1}}) == [
        ["a", "b"], ["c", "d"], ["e"]]
    assert find_cycle({"e": {"e": 1}}) == ["e", "e"]
    # the shortest way round, not the first one found
    assert find_cycle({"a": {"b": 1, "c": 1}, "b": {"c": 1}, "c": {"a": 1}}) == ["a", "c", "a"]


#: the most modules one chain of the package's own imports may pass through (``__main__`` -> ``cli``
#: -> ``pipeline`` -> ``lint.session`` -> ``lint.engine`` -> ``lint.context`` -> analysis -> a leaf)
MAX_CHAIN = 8
#: the most lines one module of ``compile_audit/`` or ``rules/`` may have
MAX_LINES = 900


def longest_chain(graph: dict[str, dict[str, int]]) -> list[str]:
    """The longest chain of imports in ``graph`` (which has no cycle), as ``[a, b, ...]``."""
    memo: dict[str, list[str]] = {}

    def from_(node: str) -> list[str]:
        if node not in memo:
            best = [node]
            for target in sorted(graph.get(node, ())):
                chain = [node, *from_(target)]
                if len(chain) > len(best):
                    best = chain
            memo[node] = best
        return memo[node]

    return max((from_(node) for node in sorted(graph)), key=len, default=[])


def test_no_import_chain_is_longer_than_the_limit():
    graph = import_graph()
    assert not tangles(graph)
    chain = longest_chain(graph)
    assert len(chain) <= MAX_CHAIN, f"{len(chain)} modules: " + " -> ".join(chain)


def test_the_chain_finder_finds_the_longest_chain():
    graph = {"a": {"b": 1, "c": 1}, "b": {"d": 1}, "c": {}, "d": {"e": 1}, "e": {}, "f": {"a": 1}}
    assert longest_chain(graph) == ["f", "a", "b", "d", "e"]
    assert longest_chain({}) == []


def test_no_module_is_longer_than_the_limit():
    long = {str(path.relative_to(ROOT)): n for path in _modules().values()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines: {long}"


#: the maintainer generators: run with ``python -m``, imported by nothing the tool runs
MAINTAIN = "compile_audit.maintain"


def test_nothing_at_run_time_imports_the_maintainer_generators():
    graph = import_graph()
    users = sorted(m for m, targets in graph.items() if not m.startswith(MAINTAIN)
                   for t in targets if t.startswith(MAINTAIN))
    assert not users, users


def test_the_readme_layout_names_every_folder_of_the_package():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Layout"):]
    folders = sorted(p.name for p in (ROOT / "compile_audit").iterdir()
                     if p.is_dir() and (p / "__init__.py").exists())
    missing = [f for f in folders if f"`compile_audit/{f}/`" not in layout and f"`compile_audit/{f}/" not in layout
               and f"{f}/" not in layout]
    assert not missing, f"README's Layout table does not name {missing}"
