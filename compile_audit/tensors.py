"""Which expressions hold tensors: simple local inference inside compiled functions.

A name holds a tensor when it is

* a parameter of a compiled entry point (``forward``, a ``torch.compile``d function) that is
  annotated ``Tensor`` or is unannotated with no default or a ``None`` default;
* any parameter of a FlexAttention ``score_mod``/``mask_mod`` (they receive tensors);
* a parameter of a helper annotated ``Tensor``, or one a compiled caller in the file passes a
  tensor to;
* assigned (also by tuple unpacking, ``for``, ``+=``, ``:=``) from a tensor expression.

A tensor expression is such a name; a call of a torch function that returns tensors
(``torch.*``, ``F.*``, ``torch.linalg.*``, ``flex_attention``) or of a tensor method; a call of a
layer held by ``self`` (``self.proj(x)``); a tensor attribute of ``self`` (``nn.Parameter``,
``register_buffer``); indexing, arithmetic and comparisons involving a tensor. ``x.shape``,
``x.dtype``, ``x.device``, ``x.dim()``, ``x.size(0)`` and friends are *not* tensors, which keeps
the rules quiet on shape and dtype branches. The inference is flow-insensitive: a name that
ever receives a tensor in a function counts as one throughout it.
"""

from __future__ import annotations

from typing import Optional

import libcst as cst

from compile_audit.scope import CompiledScope, FunctionInfo, is_tensor_function
from compile_audit.walk import Visitor, walk

# tensor methods and attributes whose value is not a tensor
NON_TENSOR_METHODS = frozenset(
    {
        "item", "tolist", "numpy", "size", "dim", "ndimension", "numel", "nelement",
        "element_size", "stride", "storage_offset", "data_ptr", "is_contiguous",
        "is_floating_point", "is_complex", "is_signed", "get_device", "untyped_storage",
        "storage", "__len__", "equal", "is_set_to", "is_pinned", "is_shared",
        "has_names", "register_hook", "backward", "dim_order", "is_nonzero",
    }
)
NON_TENSOR_ATTRS = frozenset(
    {
        "shape", "dtype", "device", "ndim", "is_cuda", "is_cpu", "is_sparse", "is_quantized",
        "is_meta", "requires_grad", "is_leaf", "layout", "names", "grad_fn", "itemsize",
        "nbytes", "is_nested", "is_mps", "output_nr", "_version",
    }
)
TENSOR_ATTRS = frozenset({"T", "mT", "H", "mH", "data", "grad", "real", "imag"})
SCALAR_BUILTINS = frozenset({"builtins.int", "builtins.float", "builtins.bool", "builtins.len", "builtins.str",
                             "builtins.round", "builtins.sum", "builtins.max", "builtins.min", "builtins.list",
                             "builtins.tuple", "builtins.range"})
# Unannotated parameters of an entry point with these names hold Python values, not tensors.
INT_PARAM_NAMES = frozenset({"seq_len", "seqlen", "length", "size", "dim", "step", "steps", "epoch", "offset",
                             "start", "end", "start_pos", "n", "k", "num", "index", "idx", "training", "mode",
                             "past_key_values_length", "max_len", "max_length", "layer_idx", "depth"})
INT_PARAM_AFFIXES = (("num_", "n_", "max_", "min_", "use_", "return_", "output_", "is_", "has_", "do_", "enable_"),
                     ("_len", "_length", "_size", "_dim", "_count", "_num", "_idx", "_index", "_step", "_steps"))


class TensorInference:
    def __init__(self, scope: CompiledScope) -> None:
        self.scope = scope
        self._names: dict[FunctionInfo, set[str]] = {}
        self._param_hints: dict[FunctionInfo, set[str]] = {}
        self._assignments: dict[FunctionInfo, "_Assignments"] = {}
        self._solved = False

    def assignments(self, func: FunctionInfo) -> "_Assignments":
        if func not in self._assignments:
            collected = _Assignments()
            walk(func.node.body, collected)
            self._assignments[func] = collected
        return self._assignments[func]

    def producers(self, name: str, func: Optional[FunctionInfo]) -> list[cst.Call]:
        """The calls certain to return a Tensor whose result is assigned to ``name`` in
        ``func`` (``out = flex_attention(...)``, ``y = self.proj(x)`` for a torch.nn layer);
        empty when there is none. Layers defined in the file do not count: they may return
        anything."""
        if func is None:
            return []
        names = self.names(func)
        cls = func.cls or self.scope.enclosing_class(func)
        found = []
        for targets, value in self.assignments(func).pairs:
            if any(isinstance(t, cst.Name) and t.value == name for t in targets):
                if not isinstance(value, cst.Call) or not self._call_is_tensor(value, names, func):
                    continue
                callee = value.func
                if (
                    isinstance(callee, cst.Attribute)
                    and isinstance(callee.value, cst.Name)
                    and callee.value.value == "self"
                    and (cls is None or callee.attr.value not in cls.torch_layer_attrs)
                ):
                    continue
                found.append(value)
        return found

    def names(self, func: Optional[FunctionInfo]) -> set[str]:
        if func is None:
            return set()
        if not self._solved:
            self._solve()
        if func not in self._names:
            self._names[func] = self._infer(func)
        return self._names[func]

    def is_tensor(self, expr: cst.BaseExpression, func: Optional[FunctionInfo]) -> bool:
        return self._is_tensor(expr, self.names(func), func)

    # ---------------------------------------------------------------------------------
    def _solve(self) -> None:
        """Infer every compiled function, passing tensor arguments to in-file helpers, until
        nothing changes (bounded: the call graph of one file is small)."""
        self._solved = True
        compiled = self.scope.compiled_functions()
        for _ in range(4):
            changed = False
            for func in compiled:
                names = self._infer(func)
                self._names[func] = names
                for call in func.calls:
                    callee = self.scope.lookup_function(call.func.value, func)  # type: ignore[attr-defined]
                    if callee is None or not callee.is_compiled:
                        continue
                    hints = self._param_hints.setdefault(callee, set())
                    params = [p.name.value for p in callee.node.params.params]
                    position = 0
                    for arg in call.args:
                        if arg.star:
                            break
                        if arg.keyword is not None:
                            pname = arg.keyword.value
                        elif position < len(params):
                            pname = params[position]
                            position += 1
                        else:
                            continue
                        if pname not in hints and self._is_tensor(arg.value, names, func):
                            hints.add(pname)
                            changed = True
            if not changed:
                break

    def _params(self, func: FunctionInfo) -> set[str]:
        params = func.node.params
        all_params = list(params.posonly_params) + list(params.params) + list(params.kwonly_params)
        if func.is_method and all_params and not _is_staticmethod(func):
            all_params = all_params[1:]
        elif func.role == "entry" and all_params and all_params[0].name.value in ("self", "cls"):
            all_params = all_params[1:]
        out: set[str] = set(self._param_hints.get(func, ()))
        for p in all_params:
            name = p.name.value
            if func.role == "mod":
                out.add(name)
            elif p.annotation is not None:
                if self._annotation_is_tensor(p.annotation.annotation):
                    out.add(name)
            elif func.role == "entry" and (p.default is None or _is_none(p.default)) and not _int_like_name(name):
                out.add(name)
        return out

    def _annotation_is_tensor(self, ann: cst.BaseExpression) -> bool:
        if isinstance(ann, cst.SimpleString):
            return "Tensor" in ann.value
        for node in _walk_exprs(ann):
            qn = self.scope.imports.resolve(node)
            if qn in ("torch.Tensor", "torch.nn.Parameter"):
                return True
        return False

    def _infer(self, func: FunctionInfo) -> set[str]:
        names = self._params(func)
        assignments = self.assignments(func)
        # a name ever assigned a Python scalar (``n = x.size(0)``, ``ids = t.tolist()``) is not
        # a tensor, even where another assignment gives it one
        scalars = {
            name
            for targets, value in assignments.pairs
            if self._is_scalar(value)
            for target in targets
            for name in _target_names(target)
        }
        for _ in range(6):
            before = len(names)
            for targets, value in assignments.pairs:
                if self._is_tensor(value, names, func):
                    for target in targets:
                        names.update(n for n in _target_names(target) if n not in scalars)
            for target, iterable in assignments.loops:
                if self._is_tensor(iterable, names, func) or _is_tensor_iteration(iterable, names):
                    names.update(_target_names(target))
            if len(names) == before:
                break
        return names

    def _is_scalar(self, expr: cst.BaseExpression) -> bool:
        """A value that is certainly a Python scalar or container, never a tensor."""
        if isinstance(expr, (cst.Integer, cst.Float, cst.SimpleString, cst.FormattedString, cst.List, cst.Dict)):
            return True
        if isinstance(expr, cst.Call):
            if isinstance(expr.func, cst.Attribute) and expr.func.attr.value in NON_TENSOR_METHODS:
                return True
            return self.scope.imports.resolve(expr.func) in SCALAR_BUILTINS
        if isinstance(expr, cst.Attribute):
            return expr.attr.value in NON_TENSOR_ATTRS
        return False

    def _is_tensor(self, expr: cst.BaseExpression, names: set[str], func: Optional[FunctionInfo]) -> bool:
        if isinstance(expr, cst.Name):
            return expr.value in names
        if isinstance(expr, cst.Attribute):
            attr = expr.attr.value
            if isinstance(expr.value, cst.Name) and expr.value.value == "self" and func is not None:
                cls = func.cls or self.scope.enclosing_class(func)
                return cls is not None and attr in cls.tensor_attrs
            if attr in NON_TENSOR_ATTRS:
                return False
            return attr in TENSOR_ATTRS and self._is_tensor(expr.value, names, func)
        if isinstance(expr, cst.Subscript):
            return self._is_tensor(expr.value, names, func)
        if isinstance(expr, cst.Call):
            return self._call_is_tensor(expr, names, func)
        if isinstance(expr, cst.BinaryOperation):
            return self._is_tensor(expr.left, names, func) or self._is_tensor(expr.right, names, func)
        if isinstance(expr, cst.UnaryOperation):
            return not isinstance(expr.operator, cst.Not) and self._is_tensor(expr.expression, names, func)
        if isinstance(expr, cst.Comparison):
            if any(isinstance(c.operator, (cst.Is, cst.IsNot, cst.In, cst.NotIn)) for c in expr.comparisons):
                return False
            return self._is_tensor(expr.left, names, func) or any(
                self._is_tensor(c.comparator, names, func) for c in expr.comparisons
            )
        if isinstance(expr, cst.BooleanOperation):
            return self._is_tensor(expr.left, names, func) or self._is_tensor(expr.right, names, func)
        if isinstance(expr, cst.IfExp):
            return self._is_tensor(expr.body, names, func) or self._is_tensor(expr.orelse, names, func)
        if isinstance(expr, cst.NamedExpr):
            return self._is_tensor(expr.value, names, func)
        return False

    def _call_is_tensor(self, call: cst.Call, names: set[str], func: Optional[FunctionInfo]) -> bool:
        callee = call.func
        if isinstance(callee, cst.Attribute):
            method = callee.attr.value
            owner = callee.value
            if isinstance(owner, cst.Name) and owner.value == "self" and func is not None:
                cls = func.cls or self.scope.enclosing_class(func)
                if cls is not None and method in cls.layer_attrs:
                    return True
            elif self._is_tensor(owner, names, func):
                return method not in NON_TENSOR_METHODS and not method.startswith("is_")
        qn = self.scope.imports.resolve(callee)
        return qn is not None and is_tensor_function(qn)


class _Assignments(Visitor):
    """Assignments in a function body, not descending into nested functions or classes."""

    def __init__(self) -> None:
        self.pairs: list[tuple[list[cst.BaseExpression], cst.BaseExpression]] = []
        self.loops: list[tuple[cst.BaseExpression, cst.BaseExpression]] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Assign(self, node: cst.Assign) -> None:
        self.pairs.append(([t.target for t in node.targets], node.value))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self.pairs.append(([node.target], node.value))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.pairs.append(([node.target], node.value))

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.pairs.append(([node.target], node.value))

    def visit_For(self, node: cst.For) -> None:
        self.loops.append((node.target, node.iter))


def _target_names(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        out: list[str] = []
        for element in target.elements:
            out.extend(_target_names(element.value))
        return out
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return []


def _is_tensor_iteration(iterable: cst.BaseExpression, names: set[str]) -> bool:
    """``for a, b in zip(x, y)`` over tensors."""
    if isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Name) and iterable.func.value == "zip":
        return all(isinstance(a.value, cst.Name) and a.value.value in names for a in iterable.args)
    return False


def _int_like_name(name: str) -> bool:
    prefixes, suffixes = INT_PARAM_AFFIXES
    return name in INT_PARAM_NAMES or name.startswith(prefixes) or name.endswith(suffixes)


def _is_none(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, cst.Name) and expr.value == "None"


def _is_staticmethod(func: FunctionInfo) -> bool:
    return any(isinstance(d, cst.Name) and d.value == "staticmethod" for d in func.decorators)


def _walk_exprs(node: cst.BaseExpression):
    yield node
    if isinstance(node, cst.Subscript):
        yield from _walk_exprs(node.value)
        for element in node.slice:
            if isinstance(element.slice, cst.Index):
                yield from _walk_exprs(element.slice.value)
    elif isinstance(node, cst.BinaryOperation):
        yield from _walk_exprs(node.left)
        yield from _walk_exprs(node.right)
