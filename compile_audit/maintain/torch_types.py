"""Generate the table of what torch's functions, tensor methods and ``nn`` layers return, from
the type stubs and annotated sources of a torch installation (read as text, never imported).

    python -m compile_audit.maintain.torch_types [TORCH_FOLDER]

writes ``compile_audit/analysis/torch_types/torch-<version>.json``. Without a folder it reads the
installed torch (located with ``importlib.util.find_spec``, which does not import it).

A return annotation is reduced to a *kind*: ``tensor`` (``Tensor``, also ``Tensor | None``),
``bool``, ``number``, ``tensors`` (tuples, lists and named tuples of tensors), ``shape``,
``str``, ``none``, ``object`` (dtype, device, other known non-tensors) or ``unknown``. A name
whose overloads disagree keeps each overload's parameters, so that the static layer can pick
by the call's arguments (``torch.max(x)`` is a Tensor, ``torch.max(x, 1)`` a named tuple).
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Optional

HERE = Path(__file__).resolve().parent.parent / "analysis" / "torch_types"

TENSOR = {"Tensor", "torch.Tensor", "_Tensor", "TensorBase", "Parameter", "torch.nn.Parameter", "Self"}
BOOL = {"bool", "_bool"}
NUMBER = {"int", "_int", "float", "_float", "complex", "_complex", "Number", "SymInt", "SymFloat", "SymBool", "PySymType",
          "_size", "torch.SymInt", "IntLikeType", "Union[int, SymInt]", "_int | SymInt", "int | SymInt",
          "Union[_int, SymInt]", "_int | torch.SymInt", "_int | _float", "Union[_int, _float]", "builtins.int",
          "builtins.float", "builtins.bool"}
SHAPE = {"Size", "torch.Size", "_Size"}
OBJECT = {"_dtype", "dtype", "torch.dtype", "_device", "device", "torch.device", "_layout", "layout",
          "memory_format", "_qscheme", "Storage", "TypedStorage", "UntypedStorage", "torch.UntypedStorage",
          "Generator", "torch.Generator", "DispatchKeySet", "Stream", "Event", "RemovableHandle",
          "torch.utils.hooks.RemovableHandle", "_C.Generator", "torch.finfo", "torch.iinfo"}


def classify(annotation: Optional[ast.expr]) -> str:
    if annotation is None:
        return "unknown"
    text = ast.unparse(annotation).replace("typing.", "").strip("'\"")
    text = text.replace(" ", "")
    if text in TENSOR:
        return "tensor"
    for optional in (re.fullmatch(r"Optional\[(.+)\]", text), re.fullmatch(r"(.+)\|None", text),
                     re.fullmatch(r"None\|(.+)", text)):
        if optional:
            inner = classify(ast.parse(optional.group(1), mode="eval").body)
            return inner if inner in ("tensor", "number", "bool") else "unknown"
    if "|" in text and "[" not in text and "None" not in text.split("|"):
        parts = {classify(ast.parse(p, mode="eval").body) for p in text.split("|")}
        if parts <= {"number", "bool"}:
            return "number"
    if text in BOOL or re.fullmatch(r"_?(TypeIs|TypeGuard)\[.*\]", text):
        return "bool"
    if text in NUMBER or text.replace("builtins.", "") in NUMBER:
        return "number"
    if text in SHAPE:
        return "shape"
    if text in ("str", "_str"):
        return "str"
    if text in ("list", "tuple", "dict", "List", "Tuple", "Dict"):
        return "container"
    if text == "None":
        return "none"
    if text in OBJECT:
        return "object"
    if text.startswith(("torch.return_types.", "return_types.")):
        return "tensors"
    container = re.fullmatch(r"(?:tuple|Tuple|list|List|Sequence|_TensorOrTensors)\[(.+)\]", text)
    if container and "|" not in text:
        parts = [p for p in re.split(r",(?![^\[]*\])", container.group(1)) if p != "..."]
        if parts and all(classify(ast.parse(p, mode="eval").body) == "tensor" for p in parts):
            return "tensors"
        if parts and all(classify(ast.parse(p, mode="eval").body) in ("number", "bool") for p in parts):
            return "numbers"
        return "container"
    if text in ("tuple[Tensor,...]", "_TensorOrTensors"):
        return "tensors"
    return "unknown"


def _signature(node: ast.FunctionDef, method: bool) -> dict:
    args = node.args
    positional = [a.arg for a in [*args.posonlyargs, *args.args]]
    defaults = len(args.defaults)
    if method and positional:
        positional = positional[1:]
    required = max(0, len(positional) - defaults)
    return {
        "pos": positional,
        "req": required,
        "kw": [a.arg for a in args.kwonlyargs],
        "kwreq": [a.arg for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is None],
        # parameters annotated `None`: an overload only for calls that leave them out
        "nonepos": [a.arg for a in [*args.posonlyargs, *args.args] if a.annotation is not None
                    and ast.unparse(a.annotation) == "None"],
        # parameters annotated `Tensor`: a literal number passed there picks another overload
        "tensorpos": [a.arg for a in [*args.posonlyargs, *args.args] if a.annotation is not None
                      and classify(a.annotation) == "tensor"],
        # parameters typed as Python numbers (int, float, Number, SymInt): what is passed there
        # is not a tensor
        "numpos": [a.arg for a in [*args.posonlyargs, *args.args] if a.annotation is not None
                   and classify(a.annotation) == "number"],
        # `as_tuple: Literal[True]`: the literal a keyword must have for this overload
        "literals": {a.arg: ast.unparse(a.annotation)[len("Literal["):-1] for a in [*args.args, *args.kwonlyargs]
                     if a.annotation is not None and ast.unparse(a.annotation).startswith("Literal[")},
        "var": args.vararg is not None,
        "varkw": args.kwarg is not None,
        "ret": classify(node.returns),
    }


SIGNATURES: dict = {}


def _merge(table: dict, name: str, overloads: list[dict], override: bool = False) -> None:
    """Store ``name``: one kind when the overloads agree, else the overloads. Functions whose
    overloads take Python numbers keep their parameters in SIGNATURES (``torch.arange``)."""
    kinds = {o["ret"] for o in overloads}
    if not override and name in table:
        return
    if len(kinds) == 1:
        table[name] = kinds.pop()
        if any(o.get("numpos") for o in overloads) and table is not SIGNATURES:
            SIGNATURES[name] = [{"pos": o["pos"], "numpos": o["numpos"]} for o in overloads]
    else:
        table[name] = overloads


def _functions(tree: ast.Module, method_of: Optional[str] = None) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    body = tree.body
    if method_of is not None:
        body = next((n.body for n in tree.body if isinstance(n, ast.ClassDef) and n.name == method_of), [])
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("__"):
            found.setdefault(node.name, []).append(_signature(node, method_of is not None))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in ("__len__",):
            found.setdefault(node.name, []).append(_signature(node, method_of is not None))
    return found


def _kind_of(entry) -> str:
    if isinstance(entry, str):
        return entry
    kinds = {o["ret"] for o in entry}
    return kinds.pop() if len(kinds) == 1 else "unknown"


def _delegated(node: ast.FunctionDef, functions: dict, methods: dict) -> str:
    """What an unannotated method returns when every ``return`` hands back a torch function's
    or the base class's result."""
    kinds = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Return):
            value = child.value
            if not isinstance(value, ast.Call):
                return "unknown"
            callee = ast.unparse(value.func)
            if callee == "handle_torch_function":
                continue  # the __torch_function__ override path
            if callee.startswith(("torch.linalg.", "torch.fft.", "torch.special.")):
                kinds.add("tensor")
            elif callee.startswith(("torch.", "_VF.")):
                short = callee.rsplit(".", 1)[1]
                kind = _kind_of(functions.get("torch." + short, "unknown"))
                if kind == "unknown" and callee.startswith("_VF."):
                    continue  # an internal op without a stub: the other returns decide
                kinds.add(kind)
            elif callee.startswith("super()."):
                kinds.add(_kind_of(methods.get(callee.rsplit(".", 1)[1], "unknown")))
            else:
                return "unknown"
    return kinds.pop() if len(kinds) == 1 else "unknown"


def _module_forwards(folder: Path) -> dict[str, str]:
    """torch.nn.<Layer> -> what calling the layer returns (its ``forward`` annotation),
    following in-package base classes."""
    classes: dict[str, tuple[list[str], Optional[str]]] = {}
    for path in sorted((folder / "nn" / "modules").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                forward = None
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and item.name == "forward":
                        forward = classify(item.returns)
                bases = [ast.unparse(b).rsplit(".", 1)[-1] for b in node.bases]
                classes[node.name] = (bases, forward)

    def resolve(name: str, depth: int = 0) -> str:
        if name not in classes or depth > 8:
            return "unknown"
        bases, forward = classes[name]
        if forward is not None:
            return forward
        for base in bases:
            kind = resolve(base, depth + 1)
            if kind != "unknown":
                return kind
        return "unknown"

    exported = set(re.findall(r"\b([A-Z]\w+)\b", (folder / "nn" / "modules" / "__init__.py").read_text()))
    return {f"torch.nn.{name}": resolve(name) for name in sorted(classes) if name in exported and name != "Module"}


def generate(folder: Path) -> dict:
    version_file = folder / "version.py"
    version = re.search(r"__version__\s*=\s*['\"]([^'\"]+)", version_file.read_text()).group(1).split("+")[0]
    functions: dict = {}
    methods: dict = {}
    # Python-level torch functions first (torch.functional), then the C stubs
    for source, prefix in ((folder / "functional.py", "torch."), (folder / "__init__.py", "torch."), (folder / "_C" / "_VariableFunctions.pyi", "torch."),
                           (folder / "nn" / "functional.pyi", "torch.nn.functional."),
                           (folder / "nn" / "functional.py", "torch.nn.functional.")):
        if not source.exists():
            continue
        tree = ast.parse(source.read_text(encoding="utf-8"))
        found = _functions(tree)
        for name, overloads in found.items():
            if name.startswith("_"):
                continue
            if all(o["ret"] == "unknown" for o in overloads):
                node = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name), None)
                kind = _delegated(node, functions, methods) if node is not None else "unknown"
                if kind != "unknown":
                    functions.setdefault(prefix + name, kind)
                continue
            _merge(functions, prefix + name, overloads)
    # torch._C._nn functions that torch.nn.functional re-exports (scaled_dot_product_attention ...)
    stub = folder / "nn" / "functional.pyi"
    nn_stub = folder / "_C" / "_nn.pyi"
    if stub.exists() and nn_stub.exists():
        exported = set(re.findall(r"(\w+) as \1", stub.read_text(encoding="utf-8")))
        for name, overloads in _functions(ast.parse(nn_stub.read_text(encoding="utf-8"))).items():
            if name in exported and not all(o["ret"] == "unknown" for o in overloads):
                _merge(functions, "torch.nn.functional." + name, overloads)
    # tensor methods: the C base class, then the Python class (it overrides; an unannotated
    # Python method that returns ``torch.<fn>(...)`` or ``super().<m>(...)`` returns what those do)
    base = ast.parse((folder / "_C" / "__init__.pyi").read_text(encoding="utf-8"))
    for name, overloads in _functions(base, method_of="TensorBase").items():
        if (not name.startswith("_") or name == "__len__") and not all(o["ret"] == "unknown" for o in overloads):
            _merge(methods, name, overloads)
    python_class = ast.parse((folder / "_tensor.py").read_text(encoding="utf-8"))
    cls = next(n for n in python_class.body if isinstance(n, ast.ClassDef) and n.name == "Tensor")
    for node in cls.body:
        if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
            continue
        kind = classify(node.returns)
        if kind == "unknown":
            kind = _delegated(node, functions, methods)
        if kind != "unknown":
            methods[node.name] = kind
    return {
        "torch": version,
        "generated_from": "type stubs and annotations of the installed torch (compile_audit.maintain.torch_types)",
        "functions": dict(sorted(functions.items())),
        "methods": dict(sorted(methods.items())),
        "modules": _module_forwards(folder),
        "module_attributes": _module_attributes(folder),
        "signatures": dict(sorted((k, v) for k, v in SIGNATURES.items() if k in functions)),
    }


def _module_attributes(folder: Path) -> list[str]:
    """Every name an ``nn.Module`` instance has from torch itself: the class's methods and class
    attributes, and what its ``__init__`` sets (``self.training``, ``super().__setattr__("_buffers", ...)``)."""
    tree = ast.parse((folder / "nn" / "modules" / "module.py").read_text(encoding="utf-8"))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Module")
    names: set = set()
    for node in cls.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    for node in ast.walk(cls):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "__setattr__"
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            names.add(node.args[0].value)
    return sorted(names)


def main(argv: list[str]) -> int:
    if argv:
        folder = Path(argv[0])
    else:
        spec = importlib.util.find_spec("torch")
        if spec is None or spec.origin is None:
            print("torch is not installed; pass the folder of a torch installation", file=sys.stderr)
            return 2
        folder = Path(spec.origin).parent
    table = generate(folder)
    minor = ".".join(table["torch"].split(".")[:2])
    out = HERE / f"torch-{minor}.json"
    out.write_text(json.dumps(table, indent=0, sort_keys=False) + "\n")
    print(f"{out}: {len(table['functions'])} functions, {len(table['methods'])} methods, "
          f"{len(table['modules'])} layers (torch {table['torch']})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
