"""What the whole scanned project compiles, and what its names stand for.

A quick pre-pass over every scanned file (CPython's ``ast``, an order of magnitude faster than
libcst, run before the per-file rules) collects:

* each file's module name (from its package folders), so relative imports resolve;
* **aliases**: names the project binds to other names at module level, including re-exports
  (``from .typing import disable_compiler`` in a package ``__init__``) and wrappers such as
  ``disable_compiler = getattr(getattr(torch, "compiler", None), "disable", None) or nullwrap``;
  a file's imports resolve through them, so ``@disable_compiler`` is ``torch.compiler.disable``;
* **compile entry points** anywhere in the project: ``torch.compile(Model(...))``,
  ``model = Model(...); model = torch.compile(model)``, ``model.compile()``,
  ``torch.compile(fn)`` and ``@torch.compile``, each naming the qualified class or function it
  compiles and where; a class that compiles only one of its own methods
  (``self.step = torch.compile(self.step)``) compiles that method, not the class.

The per-file scope (``compile_audit.analysis.scope``) marks a function compiled when the index says
something in the project compiles it, and CA207 stays quiet then.
"""

from __future__ import annotations

import ast
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from compile_audit.analysis.descriptors import describe
from compile_audit.analysis.paths import is_data_path, is_export_path, module_name
from compile_audit.analysis.torchapi import AUDIT_COMPILE, COMPILE, DISABLE, FIXTURE
from compile_audit.analysis import index_store
from compile_audit.analysis.traced import code_words, decorator_name, own_nodes, statements, traced_nodes, walk

@dataclass(frozen=True)
class Compiled:
    """Where the project compiles a class or function: ``where`` the compile call (``path:line``);
    ``via`` the compiled models it is a layer of, outermost first (empty: compiled itself)."""

    where: str
    via: tuple[str, ...] = ()

    def text(self) -> str:
        """For messages: "train.py:12", "train.py:12 (a layer of Model) (a layer of Block)"."""
        return self.where + "".join(f" (a layer of {name.rsplit('.', 1)[-1]})" for name in self.via)


@dataclass
class ProjectIndex:
    #: resolved file path -> (module name, is package)
    modules: dict[str, tuple[str, bool]] = field(default_factory=dict)
    #: qualified name -> what it stands for (another qualified name)
    aliases: dict[str, str] = field(default_factory=dict)
    #: qualified name of a class or function -> where the project compiles it
    compiled: dict[str, Compiled] = field(default_factory=dict)
    #: qualified function or method -> what its return annotation promises (a type descriptor:
    #: ["tensor"], ["number"], ["container", elem, key, items], ["union", options] ...)
    returns: dict[str, list] = field(default_factory=dict)
    #: qualified class name -> its bases (qualified)
    classes: dict[str, list[str]] = field(default_factory=dict)
    #: qualified class name -> the project classes it instantiates (its layers: a compiled
    #: model compiles them too)
    children: dict[str, set] = field(default_factory=dict)
    #: class decorators that replace the class's ``forward`` (``cls.forward = dispatcher``):
    #: the class's own forward runs only when the dispatcher picks it
    forward_replacing: set = field(default_factory=set)
    #: classes the project compiles only part of: ``if isinstance(loss, ChunkedLoss):
    #: loss.inner = torch.compile(loss.inner)`` (their forward runs eagerly)
    partial: set = field(default_factory=set)
    #: the project compiles a value it calls a loss (``loss = torch.compile(loss)``): its loss
    #: modules are compiled code
    compiles_losses: bool = False
    #: every attribute name the project ever stores (``x.name = ...``, ``setattr(x, "name", ...)``,
    #: ``register_buffer("name", ...)``, a class-body name): an attribute outside it is never set
    stored: set = field(default_factory=set)
    #: classes whose attributes cannot be known (``setattr(self, name, ...)`` with a computed
    #: name, ``self.__dict__``, ``__getattr__``): a file with any makes all its classes open
    open_classes: set = field(default_factory=set)
    #: qualified ``Class.prop`` of a property -> the ``self`` attributes its body reads
    properties: dict = field(default_factory=dict)
    #: function or method name -> the keywords some call in compiled code (a ``forward``, a
    #: ``torch.compile``d function) passes a variable to ("*": a call with ``*args``/``**kwargs``;
    #: "#N": N positional arguments, some of them variables)
    varied: dict = field(default_factory=dict)
    #: classes the project instantiates outside any class body (module code, functions)
    built_elsewhere: set = field(default_factory=set)
    #: qualified function or method -> the project functions it calls by name (``helper(...)``,
    #: ``utils.helper(...)``, ``self.method(...)``): the project-wide call graph
    calls: dict = field(default_factory=dict)
    #: ``forward`` methods of classes in files that are not data-loading or export code
    forwards: set = field(default_factory=set)
    #: qualified function -> its decorators (qualified, resolved through ``aliases`` when used:
    #: ``torch.compiler.disable`` under a project's own name disables it)
    decorated: dict = field(default_factory=dict)
    #: qualified function -> how compiled code of another file reaches it ("called from X")
    reached: dict = field(default_factory=dict)
    #: modules other files say they are generated from (``This file was automatically
    #: generated from .../modular_bert.py``): code-generation sources nothing imports, never compiled
    templates: set = field(default_factory=set)
    #: caller -> callee (as written, qualified) -> the arguments the calls pass: keyword names,
    #: "#N" for N positional arguments, "*" for ``*args``/``**kwargs``
    call_args: dict = field(default_factory=dict)
    #: for each function in ``reached``: what the compiled callers' calls pass (as ``call_args``);
    #: a flag none of them passes stays at its default there
    reached_args: dict = field(default_factory=dict)
    #: the Dynamo settings the project turns on anywhere (``torch._dynamo.config.X = True``,
    #: ``config.patch(X=True)``): setting -> True; and the functions it adds to
    #: ``reorderable_logging_functions`` / ``ignore_logging_functions`` (qualified names)
    dynamo_config: dict = field(default_factory=dict)
    _digest: Optional[str] = field(default=None, repr=False, compare=False)

    @classmethod
    def build(
        cls, files: Iterable[Path], display=lambda p: str(p), roots: tuple = (), cache_folder: Optional[Path] = None
    ) -> "ProjectIndex":
        """Index the files; ``roots`` are the folders module names of files outside packages
        are taken from (the working directory, the configuration's folder). With a
        ``cache_folder``, each file's contribution is kept by the hash of its content and
        module name, so a re-scan of unchanged files parses nothing."""
        modules: dict[str, tuple[str, bool]] = {}
        contributions: list[dict] = []
        for path in files:
            try:
                data = path.read_bytes()
            except OSError:
                continue
            module, package = module_name(path, roots)
            modules[str(path.resolve())] = (module, package)
            if not data.strip():
                continue
            contributions.append(cls.cached_contribution(data, module, package, display(path), cache_folder))
        return cls.assemble(modules, contributions)

    @classmethod
    def cached_contribution(cls, data: bytes, module: str, package: bool, display: str,
                            cache_folder: Optional[Path]) -> dict:
        """``contribution``, kept in ``cache_folder`` by the hash of the content and module name."""
        if cache_folder is None:
            return cls.contribution(data, module, package, display)
        key = hashlib.sha256(f"{_INDEX_VERSION}\0{module}\0{package}\0".encode() + data).hexdigest()
        cached = index_store.load(cache_folder, key)
        if cached is None:
            cached = cls.contribution(data, module, package, display)
            index_store.store(cache_folder, key, cached)
        return cached

    @classmethod
    def contribution(cls, data: bytes, module: str, package: bool, display: str) -> dict:
        """One file's part of the index (JSON-able): what ``assemble`` merges. A language
        server keeps these per open file and recomputes only the one that changed."""
        part = cls()
        part_compiled: list = []
        try:
            tree = ast.parse(data)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            tree = None
        generated = _GENERATED_FROM.search(data[:4000])
        if generated is not None and (package or "." in module):
            source = generated.group(1).decode("ascii", "replace")
            folder = module if package else module.rsplit(".", 1)[0]
            if f"{folder}.{source}" != module:
                part.templates.add(f"{folder}.{source}")
        if tree is not None:
            indexer = _FileIndex(part, module, package, display, part_compiled)
            indexer.forward_assigned = b".forward" in data
            indexer.run(tree, b"compile" in data)
        contribution = part._contribution(part_compiled)
        # the interpreter whose parser accepted the file: the lint need not ask it again
        contribution["parsed_by"] = index_store.PARSER if tree is not None else None
        contribution["words"] = code_words(indexer._all(tree)) if tree is not None else None
        return contribution

    @classmethod
    def assemble(cls, modules: dict, contributions: Iterable[dict]) -> "ProjectIndex":
        """The index of a project from its files' module names and contributions."""
        index = cls()
        index.modules = dict(modules)
        raw_compiled: list = []
        for contribution in contributions:
            index._merge(contribution, raw_compiled)
        for name, where in raw_compiled:
            index.compiled.setdefault(index.resolve(name), Compiled(where))
        index.partial = {index.resolve(name) for name in index.partial}
        index.classes = {name: [index.resolve(b) for b in bases] for name, bases in index.classes.items()}
        index.children = {name: {index.resolve(c) for c in kids} for name, kids in index.children.items()}
        index.built_elsewhere = {index.resolve(name) for name in index.built_elsewhere}
        # a compiled model compiles the layers it builds, and theirs
        work = [name for name in index.compiled if name in index.classes]
        while work:
            name = work.pop()
            for child in index.children.get(name, ()):
                if child in index.classes and child not in index.compiled:
                    parent = index.compiled[name]
                    index.compiled[child] = Compiled(parent.where, (*parent.via, name))
                    work.append(child)
        index._reach()
        return index

    def touched_names(self, module: str) -> set:  # the defs of module other files compile or call compiled
        if "_touched" not in self.__dict__:
            self.__dict__["_touched"] = touched = {}
            for name in (*self.reached, *self.compiled):  # a compiled class compiles its forward
                parts = name.split(".") + (["forward"] if name in self.compiled and name in self.classes else [])
                for n in range(1, len(parts)):
                    touched.setdefault(".".join(parts[:n]), set()).add(parts[-1])
        return self.__dict__["_touched"].get(module, set())

    def reaches_module(self, module: str) -> bool:
        """Whether compiled code of other files calls functions of ``module``."""
        return any(name.rsplit(".", 1)[0] == module for name in self.reached)

    def _reach(self) -> None:
        """What compiled code calls across files: from every compiled function and every
        ``forward`` of a module class (loss classes aside), follow the project call graph; a
        function of another file it reaches is compiled code there (``reached``)."""
        resolved_args: dict = {}
        for caller, callees in self.call_args.items():
            for callee, passed in callees.items():
                resolved_args.setdefault(caller, {}).setdefault(self.resolve(callee), set()).update(passed)
        self.calls = {name: {self.resolve(c) for c in callees} for name, callees in self.calls.items()}
        roots: list[str] = []
        for name in self.compiled:
            roots.append(f"{name}.forward" if name in self.classes else name)
        for name in sorted(self.forwards):  # sorted: the same walk, the same "called from", every run
            owner = name.rsplit(".", 1)[0]
            if owner.rsplit(".", 1)[0] in self.templates:
                continue
            if self.is_module_class(owner) and not self.is_loss(owner):
                roots.append(name)
        disabled = {name for name, decorators in self.decorated.items()
                    if any(self.resolve(d) in DISABLE for d in decorators)}
        modules = {name for name, _ in self.modules.values()}

        def module_of(qualified: str) -> str:
            head = qualified
            while "." in head:
                head = head.rsplit(".", 1)[0]
                if head in modules:
                    return head
            return head

        seen = set(roots)
        work = list(roots)
        while work:
            current = work.pop()
            package = current.rsplit(".", 2)[0] if current.count(".") >= 2 else ""
            for callee in sorted(self.calls.get(current, ())):
                passed = resolved_args.get(current, {}).get(callee, {"*"})
                if callee not in self.calls and package:
                    # ``from utils import helper`` in a folder of scripts: the script's own
                    # folder is on sys.path, so a sibling module is found by its bare name
                    for prefix in (package, package.rsplit(".", 1)[0] if "." in package else ""):
                        candidate = f"{prefix}.{callee}" if prefix else callee
                        if candidate in self.calls:
                            callee = candidate
                            break
                if callee in disabled or callee not in self.calls:
                    continue
                other_file = module_of(callee) != module_of(current)
                # a method of a plain class of this file, reached through an instance held in
                # `self` (the file's own scope follows only `self.method()` and layers' forwards)
                held_method = not other_file and callee.rsplit(".", 1)[0] in self.classes \
                    and callee.rsplit(".", 1)[0] != current.rsplit(".", 1)[0] \
                    and not self.is_module_class(callee.rsplit(".", 1)[0])
                if other_file:
                    self.reached_args.setdefault(callee, set()).update(passed)
                if callee in seen:
                    continue
                seen.add(callee)
                if other_file:
                    self.reached.setdefault(callee, f"called from {current.rsplit('.', 1)[-1]} (compiled) in another file")
                elif held_method or current in self.reached and current.rsplit(".", 1)[0] == callee.rsplit(".", 1)[0] \
                        and current.rsplit(".", 1)[0] in self.classes:
                    self.reached.setdefault(callee, f"called from {current.rsplit('.', 1)[-1]} (compiled)")
                work.append(callee)

    @classmethod
    def of_source(cls, text: str, path: str) -> tuple["ProjectIndex", tuple[str, bool]]:
        """The index of a project that is this one file (linted alone: stdin, an editor buffer,
        a rule's example), and the file's module name in it."""
        stem = Path(path).stem or "module"
        module = (stem if stem != "__init__" else "package", stem == "__init__")
        index = cls()
        compiled: list = []
        try:
            tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return index, module
        part = cls()
        _FileIndex(part, module[0], module[1], path, compiled).run(tree, "compile" in text)
        index._merge(part._contribution(compiled), [])
        for name, where in compiled:
            index.compiled.setdefault(index.resolve(name), Compiled(where))
        index.classes = {name: [index.resolve(b) for b in bases] for name, bases in index.classes.items()}
        return index, module

    def is_module_class(self, qualified: str, depth: int = 0) -> bool:
        """A project class that derives (through project classes) from a torch.nn class."""
        if depth > 10 or qualified not in self.classes:
            return False
        for base in self.classes[qualified]:
            if base.startswith("torch.nn.") or self.is_module_class(base, depth + 1):
                return True
        return False

    def _inherited(self, table: dict, cls: str, name: str, depth: int = 0):
        """``table["<cls>.<name>"]``, looking through project base classes (bounded)."""
        if depth > 10:
            return None
        found = table.get(f"{cls}.{name}")
        if found is not None:
            return found
        for base in self.classes.get(cls, []):
            found = self._inherited(table, base, name, depth + 1)
            if found is not None:
                return found
        return None

    def method_returns(self, cls: str, method: str) -> Optional[list]:
        """A method's return descriptor, looking through project base classes."""
        return self._inherited(self.returns, cls, method)

    def _contribution(self, compiled: list) -> dict:
        """One file's part of the index, as JSON-able data."""
        return {
            "aliases": self.aliases, "returns": self.returns, "classes": self.classes,
            "children": {k: sorted(v) for k, v in self.children.items()},
            "forward_replacing": sorted(self.forward_replacing), "partial": sorted(self.partial),
            "compiles_losses": self.compiles_losses,
            "compiled": [list(c) for c in compiled],
            "stored": sorted(self.stored), "open_classes": sorted(self.open_classes),
            "properties": self.properties, "built_elsewhere": sorted(self.built_elsewhere),
            "varied": {k: sorted(v) for k, v in self.varied.items()},
            "calls": {k: sorted(v) for k, v in self.calls.items()},
            "forwards": sorted(self.forwards), "decorated": self.decorated, "templates": sorted(self.templates),
            "call_args": {k: {c: sorted(a) for c, a in v.items()} for k, v in self.call_args.items()},
            "dynamo_config": {k: sorted(v) if isinstance(v, set) else v for k, v in self.dynamo_config.items()},
        }

    def _merge(self, part: dict, compiled: list) -> None:
        self.aliases.update(part["aliases"])
        self.returns.update(part["returns"])
        self.classes.update(part["classes"])
        for name, kids in part["children"].items():
            self.children.setdefault(name, set()).update(kids)
        self.forward_replacing.update(part["forward_replacing"])
        self.partial.update(part["partial"])
        self.compiles_losses = self.compiles_losses or part["compiles_losses"]
        self.stored.update(part["stored"])
        self.open_classes.update(part["open_classes"])
        self.properties.update(part["properties"])
        self.built_elsewhere.update(part["built_elsewhere"])
        for name, keys in part["varied"].items():
            self.varied.setdefault(name, set()).update(keys)
        for name, callees in part["calls"].items():
            self.calls.setdefault(name, set()).update(callees)
        self.forwards.update(part["forwards"])
        self.decorated.update(part["decorated"])
        self.templates.update(part["templates"])
        for key, value in part.get("dynamo_config", {}).items():
            if isinstance(value, list):
                self.dynamo_config.setdefault(key, set()).update(value)
            else:
                self.dynamo_config[key] = value
        for caller, callees in part["call_args"].items():
            table = self.call_args.setdefault(caller, {})
            for callee, passed in callees.items():
                table.setdefault(callee, set()).update(passed)
        compiled.extend(tuple(c) for c in part["compiled"])

    def module_of(self, path: Path) -> Optional[tuple[str, bool]]:
        return self.modules.get(str(path.resolve()))

    def resolve(self, name: str) -> str:
        """Follow the project's aliases and re-exports (bounded)."""
        for _ in range(10):
            parts = name.split(".")
            for cut in range(len(parts), 0, -1):
                head = ".".join(parts[:cut])
                if head in self.aliases and self.aliases[head] != head:
                    name = ".".join([self.aliases[head], *parts[cut:]])
                    break
            else:
                return name
        return name

    def property_reads(self, cls: str, name: str) -> Optional[list]:
        """The ``self`` attributes the property ``name`` of ``cls`` (or of a project base) reads."""
        return self._inherited(self.properties, cls, name)

    def is_loss(self, qualified: str, depth: int = 0) -> bool:
        """A project class that is a training objective: named ``...Loss``, or derived from one."""
        if qualified.rsplit(".", 1)[-1].endswith("Loss") or qualified.startswith("torch.nn.modules.loss."):
            return True
        return depth < 10 and any(self.is_loss(b, depth + 1) for b in self.classes.get(qualified, ()))

    def built_only_by_losses(self, qualified: str, depth: int = 0) -> bool:
        """Whether the project builds instances of this class only inside loss classes (a
        target assigner a detection loss owns): it runs when the loss runs, not as a layer of
        a model. False when anything else builds it, or nothing does."""
        if depth > 6 or qualified in self.built_elsewhere or qualified in self.compiled:
            return False
        if "_parents" not in self.__dict__:  # who builds what, turned around once
            self.__dict__["_parents"] = parents = {}
            for name, kid in ((name, kid) for name, kids in self.children.items() for kid in kids):
                parents.setdefault(kid, []).append(name)
        builders = [name for name in self.__dict__["_parents"].get(qualified, ()) if name != qualified]
        return bool(builders) and all(
            self.is_loss(b) or self.built_only_by_losses(b, depth + 1) for b in builders)

    def passes_variable(self, name: str, param: str, position: Optional[int]) -> bool:
        """Whether some call of a function or method called ``name`` passes ``param`` a
        variable (by keyword, by position, or through ``*args``/``**kwargs``)."""
        keys = self.varied.get(name)
        if not keys:
            return False
        if "*" in keys or param in keys:
            return True
        if position is not None:
            return any(k.startswith("#") and int(k[1:]) > position for k in keys)
        return False

    def never_stored(self, cls: str, name: str, module_attributes: frozenset, depth: int = 0) -> bool:
        """Whether no instance of ``cls`` can have the attribute ``name``: nothing in the project
        stores it, ``cls`` and its bases are project classes (or ``torch.nn.Module``) whose
        attributes are all known, and torch's Module does not define it."""
        if depth > 10 or name in self.stored or name in module_attributes or name.startswith("__"):
            return False
        if cls in ("torch.nn.Module", "torch.nn.modules.module.Module", "builtins.object"):
            return True
        if cls not in self.classes or cls in self.open_classes:
            return False
        return all(self.never_stored(b, name, module_attributes, depth + 1) for b in self.classes[cls])

    def compiled_where(self, qualified: str) -> Optional[str]:
        """Where the project compiles ``qualified``, for messages; None when it does not."""
        found = self.compiled.get(qualified)
        return found.text() if found is not None else None

    def digest(self) -> str:
        """Changes when anything other files contribute to a file's findings changes."""
        if self._digest is not None:
            return self._digest
        h = hashlib.sha256()
        compiled = {name: (c.where, c.via) for name, c in self.compiled.items()}
        for table in (self.aliases, compiled, self.returns, self.classes, dict.fromkeys(self.forward_replacing, 1),
                      dict.fromkeys(self.partial, 1), {"compiles_losses": self.compiles_losses},
                      dict.fromkeys(self.stored, 1), dict.fromkeys(self.open_classes, 1), self.properties,
                      dict.fromkeys(self.built_elsewhere, 1), {k: sorted(v) for k, v in self.varied.items()},
                      {k: sorted(v) for k, v in self.children.items()}, self.reached,
                      {k: sorted(v) if isinstance(v, set) else v for k, v in self.dynamo_config.items()},
                      {k: sorted(v) for k, v in self.reached_args.items()}, dict.fromkeys(self.templates, 1)):
            for key in sorted(table):
                h.update(f"{key}={table[key]}\n".encode())
        self._digest = h.hexdigest()[:16]
        return self._digest


class _FileIndex:
    def __init__(self, index: ProjectIndex, module: str, package: bool, display: str, out: list) -> None:
        self.index = index
        self.module = module
        self.package = package
        self.display = display
        self.out = out
        self.imports: dict[str, str] = {}
        #: the file assigns some ``X.forward`` (a decorator may replace a class's forward)
        self.forward_assigned = True

    def qualify(self, node: ast.expr) -> Optional[str]:
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr" and len(node.args) >= 2:
            # getattr(torch, "compiler", None)
            base = self.qualify(node.args[0])
            attr = node.args[1]
            if base and isinstance(attr, ast.Constant) and isinstance(attr.value, str):
                return ".".join([base, attr.value, *reversed(parts)])
            return None
        if not isinstance(node, ast.Name):
            return None
        head = self.imports.get(node.id, f"{self.module}.{node.id}")
        return ".".join([head, *reversed(parts)])

    def _all(self, tree: ast.Module) -> list:
        """Every node of ``tree``, walked once for the passes that each looked at all of them."""
        if getattr(self, "_walked", (None, None))[0] is not tree:
            self._walked = (tree, list(walk(tree)))
        return self._walked[1]

    def run(self, tree: ast.Module, compiles: bool = True) -> None:
        self._attributes(tree)
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                for child in walk(node):
                    if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        child._ca_class = node.name  # type: ignore[attr-defined]
        for node in tree.body:
            self._top(node)
        self._call_graph(tree)
        self._built(tree)
        if not compiles:
            return  # no compile call can be written without the word
        for node in self._all(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)):
                self._compiles(node)

    def _top(self, node: ast.stmt) -> None:
        from compile_audit.analysis.names import absolute  # here: names imports libcst, which a warm scan never needs

        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    self.imports[alias.asname] = alias.name
                else:
                    self.imports[alias.name.split(".")[0]] = alias.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom):
            source = absolute(self.module, self.package, node.level, node.module)
            for alias in node.names:
                if alias.name == "*":
                    continue
                local = alias.asname or alias.name
                self.imports[local] = f"{source}.{alias.name}"
                self.index.aliases[f"{self.module}.{local}"] = f"{source}.{alias.name}"
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = node.value
            if isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or):
                value = value.values[0]  # `x = getattr(torch.compiler, "disable", None) or fallback`
            if isinstance(value, (ast.Name, ast.Attribute)) or (
                isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "getattr"
            ):
                target = self.qualify(value)
                if target is not None:
                    self.index.aliases[f"{self.module}.{node.targets[0].id}"] = target
                    self.imports.setdefault(node.targets[0].id, target)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns is not None:
            self.index.returns[f"{self.module}.{node.name}"] = describe(node.returns, self.qualify, self.imports)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and self.forward_assigned and _replaces_forward(node):
            self.index.forward_replacing.add(f"{self.module}.{node.name}")
        if isinstance(node, ast.ClassDef):
            self.index.classes[f"{self.module}.{node.name}"] = [q for q in map(self.qualify, node.bases) if q]
            kids = self.index.children.setdefault(f"{self.module}.{node.name}", set())
            for sub in walk(node):
                if isinstance(sub, ast.Call):
                    func = sub.func
                    short = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
                    if short[:1].isupper():
                        qualified = self.qualify(func)
                        if qualified and not qualified.startswith(("torch.", "builtins.")):
                            kids.add(qualified)
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.returns is not None:
                    self.index.returns[f"{self.module}.{node.name}.{item.name}"] = describe(item.returns, self.qualify, self.imports)
        if isinstance(node, ast.FunctionDef) and not node.args.args and not node.args.kwonlyargs:
            # def _is_tracing(): return torch._C._get_tracing_state()  -> the same call
            body = [n for n in node.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
            value = body[0].value if len(body) == 1 and isinstance(body[0], ast.Return) else None
            # `return bool(_is_compiling()) if _is_compiling is not None else False`: the same call
            if isinstance(value, ast.IfExp) and isinstance(value.orelse, ast.Constant):
                value = value.body
            if (isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "bool"
                    and len(value.args) == 1 and not value.keywords):
                value = value.args[0]
            if isinstance(value, ast.Call):
                call = value
                target = self.qualify(call.func) if not call.args and not call.keywords else None
                if target is not None and target.startswith("torch."):
                    self.index.aliases[f"{self.module}.{node.name}"] = target
        elif isinstance(node, (ast.Try, ast.If)):
            for child in node.body:
                self._top(child)

    def _call_graph(self, tree: ast.Module) -> None:
        """Each module-level function's and method's calls of project names (see
        ``ProjectIndex.calls``), ``forward`` methods, and disabled functions."""
        eager = is_data_path(self.display) or is_export_path(self.display)
        self._defined = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._function_calls(f"{self.module}.{node.name}", node, None)
            elif isinstance(node, ast.ClassDef):
                self._held = self._instances_held(node)
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        qualified = f"{self.module}.{node.name}.{item.name}"
                        self._function_calls(qualified, item, f"{self.module}.{node.name}")
                        if item.name == "forward" and not eager:
                            self.index.forwards.add(qualified)
                self._held = {}

    def _instances_held(self, cls: ast.ClassDef) -> dict[str, str]:
        """``self.X = Helper(...)`` in the class's methods, Helper a class of the project's files
        (capitalized, not torch's): attribute -> the class, when only one class is assigned."""
        held: dict[str, set] = {}
        for item in cls.body:
            if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in walk(item):
                if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                    func = node.value.func
                    short = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
                    target = self.qualify(func) if short[:1].isupper() else None
                    for t in node.targets:
                        if (isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self"
                                and target and not target.startswith(("torch.", "builtins."))):
                            held.setdefault(t.attr, set()).add(target)
        return {attr: next(iter(classes)) for attr, classes in held.items() if len(classes) == 1}

    def _function_calls(self, qualified: str, func: ast.AST, cls: Optional[str]) -> None:
        decorators = [self.qualify(dec.func if isinstance(dec, ast.Call) else dec)
                      for dec in func.decorator_list]  # type: ignore[attr-defined]
        if any(decorators):
            self.index.decorated[qualified] = [d for d in decorators if d]
        callees = set()
        for node in traced_nodes(func, self.qualify):
            if not isinstance(node, ast.Call):
                continue
            callee = node.func
            if isinstance(callee, ast.Attribute) and isinstance(callee.value, ast.Name) and callee.value.id == "self":
                if cls is not None:
                    callees.add(f"{cls}.{callee.attr}")
                continue
            if (cls is not None and isinstance(callee, ast.Attribute) and isinstance(callee.value, ast.Attribute)
                    and isinstance(callee.value.value, ast.Name) and callee.value.value.id == "self"
                    and callee.value.attr in getattr(self, "_held", {})):
                # `self.line_detector.detect(...)`, `self.line_detector = LineSegmentDetector(...)`
                callees.add(f"{self._held[callee.value.attr]}.{callee.attr}")
                continue
            head = callee
            while isinstance(head, ast.Attribute):
                head = head.value
            if not isinstance(head, ast.Name) or (head.id not in self.imports and head.id not in self._defined):
                continue  # a local variable's method, a builtin
            target = self.qualify(callee)
            if target is not None and not target.startswith("torch."):
                callees.add(target)
                passed = {k.arg if k.arg is not None else "*" for k in node.keywords}
                if any(isinstance(a, ast.Starred) for a in node.args):
                    passed.add("*")
                if node.args:
                    passed.add(f"#{len(node.args)}")
                self.index.call_args.setdefault(qualified, {}).setdefault(target, set()).update(passed)
        self.index.calls[qualified] = callees

    def _attributes(self, tree: ast.Module) -> None:
        """The attribute names this file stores, its open classes, and its properties."""
        stored = self.index.stored
        is_open = False
        for node in self._all(tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and node.value.value is True:
                for target in node.targets:
                    if isinstance(target, ast.Attribute) and (self.qualify(target.value) or "").endswith("_dynamo.config"):
                        self.index.dynamo_config[target.attr] = True
            if isinstance(node, ast.Attribute):
                if isinstance(node.ctx, (ast.Store, ast.Del)):
                    stored.add(node.attr)
                elif node.attr == "__dict__":
                    is_open = True
            elif isinstance(node, ast.Call) and (node.args or node.keywords):
                func = node.func
                short = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
                self._dynamo_setting(node, short)
                if short in SETTERS and node.args:
                    at = 1 if short == "setattr" else 0
                    if len(node.args) > at and isinstance(node.args[at], ast.Constant) and isinstance(node.args[at].value, str):
                        stored.add(node.args[at].value)
                    else:
                        is_open = True
            elif isinstance(node, ast.ClassDef):
                qualified = f"{self.module}.{node.name}"
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        stored.add(item.name)
                        if item.name in ("__getattr__", "__getattribute__"):
                            self.index.open_classes.add(qualified)
                        if any(decorator_name(d) in ("property", "cached_property") for d in item.decorator_list):
                            self.index.properties[f"{qualified}.{item.name}"] = sorted({
                                n.attr for n in walk(item) if isinstance(n, ast.Attribute)
                                and isinstance(n.value, ast.Name) and n.value.id == "self"})
                    elif isinstance(item, ast.Assign):
                        stored.update(t.id for t in item.targets if isinstance(t, ast.Name))
                    elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                        stored.add(item.target.id)
        for node in tree.body:
            # `@torch._dynamo.config.patch(capture_scalar_outputs=True)` on a module-level
            # function (a training entry point): what it compiles runs under the setting. A
            # `with config.patch(...)` around one call stays local and is not counted.
            for decorator in getattr(node, "decorator_list", ()):
                if (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)
                        and decorator.func.attr == "patch"
                        and (self.qualify(decorator.func.value) or "").endswith("_dynamo.config")):
                    for keyword in decorator.keywords:
                        if keyword.arg and isinstance(keyword.value, ast.Constant) and keyword.value.value is True:
                            self.index.dynamo_config[keyword.arg] = True
        self._varied(tree)
        if is_open:
            self.index.open_classes.update(
                f"{self.module}.{n.name}" for n in self._all(tree) if isinstance(n, ast.ClassDef))

    def _dynamo_setting(self, call: ast.Call, short: str) -> None:
        """``torch._dynamo.config.reorderable_logging_functions.add(fn)`` (global state)."""
        func = call.func
        if not isinstance(func, ast.Attribute):
            return
        if short in ("add", "update") and isinstance(func.value, ast.Attribute) and func.value.attr in (
                "reorderable_logging_functions", "ignore_logging_functions"):
            functions = self.index.dynamo_config.setdefault("logging_functions", set())
            for arg in call.args:
                for item in arg.elts if isinstance(arg, (ast.Set, ast.List, ast.Tuple)) else [arg]:
                    if isinstance(item, ast.Name) and item.id in BUILTIN_FUNCTIONS and item.id not in self.imports:
                        functions.add(f"builtins.{item.id}")  # `print`
                    else:
                        functions.add(self.qualify(item) or "")

    def _varied(self, tree: ast.Module) -> None:
        """The arguments compiled code of this file (a module's ``forward``, a function decorated
        with ``torch.compile``) passes as variables, by callee name: another file's constant
        flag is not a constant when this file's compiled code passes it a variable."""
        for func in self._all(tree):
            if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            if func.name != "forward" and not any("compile" in ast.unparse(d) for d in func.decorator_list):
                continue
            for node in walk(func):
                if not isinstance(node, ast.Call):
                    continue
                callee = node.func
                short = callee.attr if isinstance(callee, ast.Attribute) else callee.id if isinstance(callee, ast.Name) else ""
                if not short:
                    continue
                varied = set()
                for keyword in node.keywords:
                    if keyword.arg is None:
                        varied.add("*")
                    elif not isinstance(keyword.value, ast.Constant):
                        varied.add(keyword.arg)
                if any(isinstance(a, ast.Starred) for a in node.args):
                    varied.add("*")
                elif any(not isinstance(a, ast.Constant) for a in node.args):
                    varied.add(f"#{len(node.args)}")
                if varied:
                    self.index.varied.setdefault(short, set()).update(varied)

    def _built(self, tree: ast.Module) -> None:
        """The classes this file instantiates outside class bodies (module code, functions)."""
        stack: list = list(tree.body)
        while stack:
            node = stack.pop()
            if isinstance(node, ast.ClassDef):
                continue
            if isinstance(node, ast.Call):
                func = node.func
                short = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
                if short[:1].isupper():
                    qualified = self.qualify(func)
                    if qualified and not qualified.startswith(("torch.", "builtins.")):
                        self.index.built_elsewhere.add(qualified)
            stack.extend(ast.iter_child_nodes(node))

    def _compiles(self, scope: ast.AST) -> None:
        """Compile calls directly in one scope (module, class or function body)."""
        instances: dict[str, str] = {}
        body = scope.body
        self._partial(body)
        for node in statements(body):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for dec in node.decorator_list:
                    if self.qualify(dec.func if isinstance(dec, ast.Call) else dec) in COMPILE:
                        self.out.append((self._local(scope, node.name), f"{self.display}:{node.lineno}"))
                continue
            for sub in own_nodes(node):
                if isinstance(sub, ast.Assign) and isinstance(sub.value, ast.Call):
                    made = self._instance(sub.value, instances)
                    if made is not None:
                        for target in sub.targets:
                            if isinstance(target, ast.Name):
                                instances[target.id] = made
                if not isinstance(sub, ast.Call):
                    continue
                callee = self.qualify(sub.func)
                if callee in COMPILE and sub.args and _loss_name(sub.args[0]):
                    self.index.compiles_losses = True
                if sub.args and (callee in COMPILE or callee in AUDIT_COMPILE or _fixture_check(sub.func)):
                    compiled = self._compiled_arg(sub.args[0], instances, scope)
                    if compiled is not None:
                        self.out.append((compiled, f"{self.display}:{sub.lineno}"))
                elif isinstance(sub.func, ast.Attribute) and sub.func.attr == "compile" and not sub.args:
                    receiver = sub.func.value
                    if isinstance(receiver, ast.Name) and receiver.id in instances:
                        self.out.append((instances[receiver.id], f"{self.display}:{sub.lineno}"))

    def _partial(self, body: list) -> None:
        """``if isinstance(x, Cls): x.step = torch.compile(x.step)``: Cls.step is compiled, and
        Cls only in part."""
        for node in statements(body):
            if not isinstance(node, ast.If):
                continue
            test = node.test
            if not (isinstance(test, ast.Call) and isinstance(test.func, ast.Name) and test.func.id == "isinstance"
                    and len(test.args) == 2 and isinstance(test.args[0], ast.Name)):
                continue
            subject = test.args[0].id
            types = test.args[1].elts if isinstance(test.args[1], ast.Tuple) else [test.args[1]]
            classes = [q for q in map(self.qualify, types) if q]
            for statement in node.body:
                if not (isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call)
                        and self.qualify(statement.value.func) in COMPILE and statement.value.args):
                    continue
                target = statement.targets[0]
                arg = statement.value.args[0]
                if (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                        and target.value.id == subject and isinstance(arg, ast.Attribute)
                        and isinstance(arg.value, ast.Name) and arg.value.id == subject):
                    for cls in classes:
                        self.index.partial.add(cls)
                        self.out.append((f"{cls}.{arg.attr}", f"{self.display}:{statement.lineno}"))

    def _local(self, scope: ast.AST, name: str) -> str:
        if isinstance(scope, ast.ClassDef):
            return f"{self.module}.{scope.name}.{name}"
        return f"{self.module}.{name}"

    def _instance(self, call: ast.Call, instances: dict[str, str]) -> Optional[str]:
        """``Model(...)`` (a class by its capitalised name) or ``torch.compile(x)`` of one."""
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
        if name and name[:1].isupper():
            return self.qualify(func)
        if self.qualify(func) in COMPILE and call.args and isinstance(call.args[0], ast.Name):
            return instances.get(call.args[0].id)
        if isinstance(func, ast.Attribute) and func.attr in ("to", "cuda", "eval", "train", "half", "float") and isinstance(func.value, ast.Name):
            return instances.get(func.value.id)
        return None

    def _compiled_arg(self, arg: ast.expr, instances: dict[str, str], scope: ast.AST) -> Optional[str]:
        if isinstance(arg, ast.Call):
            return self._instance(arg, instances)
        if isinstance(arg, ast.Name):
            if arg.id in instances:
                return instances[arg.id]
            return self.qualify(arg)
        if isinstance(arg, ast.Attribute):
            if isinstance(arg.value, ast.Name) and arg.value.id == "self":
                cls = getattr(scope, "_ca_class", None)
                return None if cls is None else f"{self.module}.{cls}.{arg.attr}"
            if isinstance(arg.value, ast.Name) and arg.value.id in instances:
                return f"{instances[arg.value.id]}.{arg.attr}"
            return self.qualify(arg)
        return None


def _replaces_forward(func: ast.FunctionDef) -> bool:
    """A decorator whose body (or nested wrapper) assigns ``<its parameter>.forward = ...``."""
    params = set()
    for node in walk(func):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            params.update(a.arg for a in [*node.args.posonlyargs, *node.args.args])
    for node in walk(func):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if (isinstance(target, ast.Attribute) and target.attr == "forward"
                        and isinstance(target.value, ast.Name) and target.value.id in params):
                    return True
    return False


#: bump when what a file contributes to the index changes
_INDEX_VERSION = 18
#: the header of a generated file naming its source (transformers' ``modular_*.py`` converter)
_GENERATED_FROM = re.compile(rb"generated from\s+[^\s]*?([A-Za-z_]\w*)\.py")
#: calls that set an attribute named by a string: ``setattr(obj, "name", v)`` (its second
#: argument), ``register_buffer("name", t)`` and the like (their first)
BUILTIN_FUNCTIONS = frozenset({"print", "input", "repr", "str", "len"})
SETTERS = frozenset({"setattr", "register_buffer", "register_parameter", "add_module", "register_module"})


def _loss_name(arg: ast.expr) -> bool:
    name = arg.id if isinstance(arg, ast.Name) else arg.attr if isinstance(arg, ast.Attribute) else ""
    return name.lower() in ("loss", "loss_fn", "loss_func", "criterion") or name.lower().endswith("_loss")


def _fixture_check(func: ast.expr) -> bool:
    """``compile_audit.check(fn, ...)``: the pytest fixture, a parameter named ``compile_audit``."""
    return (isinstance(func, ast.Attribute) and func.attr == "check" and isinstance(func.value, ast.Name)
            and func.value.id == FIXTURE)
