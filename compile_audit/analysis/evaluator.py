"""The value model's expressions: what an expression holds in one environment.

Calls are answered from torch's signatures (``compile_audit.analysis.torch_types``), the file's
own functions (through the model: their annotations or ``return`` statements), the project
index (other files' functions and classes) and a few builtins; attributes from what the class
assigns to ``self``; operators from their operands.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

import libcst as cst

from compile_audit.analysis.definitions import FunctionInfo
from compile_audit.analysis.evidence import Why, code
from compile_audit.analysis.lattice import (
    NONE, NUMBER, OBJECT, STR, UNKNOWN, Env, Flow, Value, element_of, from_descriptor, join, join_optional,
)
from compile_audit.analysis.torchapi import FLEX_ATTENTION, TUPLE_OPTIONS

SCALAR_ATTRS = {
    "ndim": "number", "is_cuda": "number", "is_cpu": "number", "is_sparse": "number", "is_quantized": "number",
    "is_meta": "number", "requires_grad": "number", "is_leaf": "number", "itemsize": "number", "nbytes": "number",
    "is_nested": "number", "is_mps": "number", "output_nr": "number", "_version": "number",
    "shape": "shape", "dtype": "object", "device": "object", "layout": "object", "names": "container",
    "grad_fn": "object",
}
TENSOR_ATTRS = frozenset({"T", "mT", "H", "mH", "data", "grad", "real", "imag"})
NUMBER_BUILTINS = frozenset({"len", "int", "float", "bool", "round", "hash", "id", "ord", "isinstance", "issubclass",
                             "callable", "hasattr", "divmod", "pow"})
CONTAINER_BUILTINS = frozenset({"list", "tuple", "sorted", "set", "frozenset", "reversed"})
STR_BUILTINS = frozenset({"str", "repr", "format", "chr", "ascii", "hex", "oct", "bin"})
BOOLEAN_METHODS = frozenset({"bool", "eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or", "logical_not",
                             "logical_xor", "isnan", "isinf", "isfinite", "isclose", "isneginf", "isposinf",
                             "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "isin", "signbit"})


class Evaluator:
    """The value of an expression in one environment."""

    def __init__(self, model, func: FunctionInfo, env: Env) -> None:
        self.model = model
        self.func = func
        self.env = env
        self.scope = model.scope
        self.types = model.types

    def value(self, expr: cst.BaseExpression) -> Value:
        method = getattr(self, "_" + type(expr).__name__, None)
        if method is None:
            return UNKNOWN
        return method(expr)

    # -- atoms -------------------------------------------------------------------------------
    def _Name(self, expr: cst.Name) -> Value:
        name = expr.value
        if name in self.env:
            return self.env[name]
        if name in ("True", "False"):
            return Value("number", literal=name)
        if name == "None":
            return NONE
        if self.scope.lookup_function(name, self.func) is not None:
            return Value("function")
        if name in self.scope.classes:
            return OBJECT
        assigned = self.scope.module_assignments(name)
        if assigned and all(_is_literal_number(v) for v in assigned):
            return replace(NUMBER, subject=name)
        return UNKNOWN

    def _Integer(self, expr) -> Value:
        return NUMBER

    _Float = _Imaginary = _Integer

    def _SimpleString(self, expr) -> Value:
        return STR

    _ConcatenatedString = _FormattedString = _SimpleString

    def _Ellipsis(self, expr) -> Value:
        return OBJECT

    def _Tuple(self, expr: cst.Tuple) -> Value:
        if any(isinstance(e, cst.StarredElement) for e in expr.elements):
            return Value("container")
        return Value("container", items=tuple(self.value(e.value) for e in expr.elements))

    def _List(self, expr) -> Value:
        values = [self.value(e.value) for e in expr.elements if not isinstance(e, cst.StarredElement)]
        elem: Optional[Value] = None
        for v in values:
            elem = join(elem, v) if elem is not None else v
        return Value("container", elem=elem)

    _Set = _List

    def _Dict(self, expr: cst.Dict) -> Value:
        elem: Optional[Value] = None
        key: Optional[Value] = None
        for element in expr.elements:
            if isinstance(element, cst.DictElement):
                v, k = self.value(element.value), self.value(element.key)
                elem = join(elem, v) if elem is not None else v
                key = join(key, k) if key is not None else k
            else:
                return Value("container")
        return Value("container", elem=elem, key=key)

    def _comprehension(self, expr, element: Optional[cst.BaseExpression]) -> Value:
        env = dict(self.env)
        executor = self.model.executor(self.func, Flow())
        clause = expr.for_in
        while clause is not None:
            executor.bind(clause.target, Evaluator(self.model, self.func, env).iterate(clause.iter), env, clause)
            clause = clause.inner_for_in
        if element is None:
            return Value("container")
        return Value("container", elem=Evaluator(self.model, self.func, env).value(element))

    def _ListComp(self, expr) -> Value:
        return self._comprehension(expr, expr.elt)

    _SetComp = _GeneratorExp = _ListComp

    def _DictComp(self, expr) -> Value:
        inner = self._comprehension(expr, expr.value)
        return inner

    def _Lambda(self, expr) -> Value:
        return Value("function")

    def _NamedExpr(self, expr: cst.NamedExpr) -> Value:
        return self.value(expr.value)

    # -- operators ---------------------------------------------------------------------------
    def _Attribute(self, expr: cst.Attribute) -> Value:
        attr = expr.attr.value
        owner = expr.value
        if isinstance(owner, cst.Name) and owner.value == "self":
            return self._self_attribute(attr, expr)
        base = self.value(owner)
        if base.kind == "tensor":
            if attr in SCALAR_ATTRS:
                return Value(SCALAR_ATTRS[attr])
            if attr in TENSOR_ATTRS:
                return replace(base, producer=None)
            return UNKNOWN
        if base.kind == "module" and isinstance(base.layer, str) and base.layer.startswith("torch.nn.") and attr in ("weight", "bias"):
            return Value("tensor", why=Why("`{}` is a parameter of a `{}`", code(expr), base.layer.rsplit(".", 1)[-1]),
                         node=expr, subject=str(code(expr)), optional=attr == "bias")
        if base.kind == "container" and attr in ("values", "indices") and base.elem is not None and base.elem.kind == "tensor":
            return replace(base.elem, producer=None)  # t.max(dim=1).values
        qn = None if self._local_head(expr) else self.scope.imports.resolve(expr)
        if qn is not None and qn.startswith("math.") and attr in ("pi", "e", "inf", "nan", "tau"):
            return NUMBER
        if qn is not None and qn.startswith("torch.") and attr in ("float32", "float16", "bfloat16", "int64", "long",
                                                                    "float", "bool", "int32", "float64", "int8",
                                                                    "uint8", "half", "double", "int"):
            return OBJECT
        return UNKNOWN

    def _local_head(self, expr: cst.BaseExpression) -> bool:
        """Whether a dotted name starts with a local variable (``input.size``: not the builtin)."""
        while isinstance(expr, cst.Attribute):
            expr = expr.value
        return isinstance(expr, cst.Name) and expr.value in self.env

    def _self_attribute(self, attr: str, expr: cst.Attribute) -> Value:
        cls = self.func.cls or self.scope.enclosing_class(self.func)
        if cls is None:
            return UNKNOWN
        found = self.scope.attribute_of(cls, attr)
        if found is None:
            return UNKNOWN
        kind, owner, detail = found
        if kind == "tensor":
            return Value("tensor", why=f"`self.{attr}` is {detail} of `{owner.name}`", node=expr, subject=f"self.{attr}")
        if kind == "number":
            return Value("number", subject=f"self.{attr}")
        if kind == "module":
            return Value("module", layer=detail, subject=f"self.{attr}")
        if kind == "method":
            return Value("function", layer=detail)
        if kind == "torch-function":
            return Value("function", layer=detail)
        return UNKNOWN

    def _Subscript(self, expr: cst.Subscript) -> Value:
        base = self.value(expr.value)
        if base.kind == "tensor":
            return replace(base, producer=None, optional=False)
        index = expr.slice[0].slice if len(expr.slice) == 1 else None
        is_slice = isinstance(index, cst.Slice)
        if base.kind == "shape":
            return base if is_slice or len(expr.slice) > 1 else Value("number")
        if base.kind == "container":
            if is_slice:
                return base
            if base.items is not None and isinstance(index, cst.Index) and isinstance(index.value, (cst.Integer, cst.UnaryOperation)):
                try:
                    position = int(cst.Module(body=[]).code_for_node(index.value))
                    return base.items[position]
                except (ValueError, IndexError):
                    return UNKNOWN
            if base.elem is not None:
                return base.elem
            if base.items:
                joined: Optional[Value] = None
                for item in base.items:
                    joined = join(joined, item) if joined is not None else item
                return joined or UNKNOWN
        if base.kind == "str":
            return STR
        return UNKNOWN

    def binary(self, left: Value, right: Value, operator, node) -> Value:
        if left.kind == "tensor" or right.kind == "tensor":
            tensor = left if left.kind == "tensor" else right
            boolean = isinstance(operator, (cst.BitAnd, cst.BitOr, cst.BitXor, cst.BitAndAssign, cst.BitOrAssign,
                                            cst.BitXorAssign)) and (left.boolean or left.kind != "tensor") and (
                right.boolean or right.kind != "tensor")
            if isinstance(operator, (cst.Multiply, cst.MultiplyAssign)) and left.boolean and right.boolean:
                boolean = True  # bool * bool stays bool (a mask combined with another)
            if isinstance(operator, (cst.MatrixMultiply, cst.MatrixMultiplyAssign)):
                boolean = False
            return replace(tensor, boolean=boolean and tensor.boolean, producer=None, optional=False)
        if left.kind == "number" and right.kind == "number":
            return NUMBER
        if left.kind in ("str",) and isinstance(operator, (cst.Add, cst.Modulo, cst.AddAssign)):
            return STR
        if left.kind in ("shape", "container") and right.kind in ("shape", "container") and isinstance(operator, (cst.Add, cst.AddAssign)):
            return Value("shape") if left.kind == "shape" else Value("container", elem=join_optional(element_of(left), element_of(right)))
        if left.kind == "container" and right.kind == "number" and isinstance(operator, (cst.Multiply, cst.MultiplyAssign)):
            return left
        return UNKNOWN

    def _BinaryOperation(self, expr: cst.BinaryOperation) -> Value:
        return self.binary(self.value(expr.left), self.value(expr.right), expr.operator, expr)

    def _UnaryOperation(self, expr: cst.UnaryOperation) -> Value:
        if isinstance(expr.operator, cst.Not):
            return NUMBER
        inner = self.value(expr.expression)
        return replace(inner, producer=None) if inner.kind in ("tensor", "number") else UNKNOWN

    def _Comparison(self, expr: cst.Comparison) -> Value:
        if any(isinstance(c.operator, (cst.Is, cst.IsNot, cst.In, cst.NotIn)) for c in expr.comparisons):
            return NUMBER
        operands = [self.value(expr.left)] + [self.value(c.comparator) for c in expr.comparisons]
        if any(v.kind in ("str", "none") for v in operands):
            return NUMBER  # `t == "Rep"`: Python compares the objects, no tensor op
        tensors = [v for v in operands if v.kind == "tensor"]
        if tensors:
            return replace(tensors[0], boolean=True, producer=None, optional=False)
        if all(v.kind in ("number", "str", "shape", "none", "object") for v in operands):
            return NUMBER
        return UNKNOWN

    def _BooleanOperation(self, expr: cst.BooleanOperation) -> Value:
        left, right = self.value(expr.left), self.value(expr.right)
        if right.kind == "tensor" and left.kind != "tensor":
            # `self.training and p < self.layerdrop`: a Python test in front of a tensor gives
            # the tensor whenever the test lets it through (the steady state the rules judge)
            return replace(right, producer=None)
        return join(left, right) or UNKNOWN

    def _IfExp(self, expr: cst.IfExp) -> Value:
        executor = self.model.executor(self.func, Flow())
        when_true, when_false = executor.narrow(expr.test, self.env)
        if when_true is None:
            return Evaluator(self.model, self.func, when_false).value(expr.orelse)
        body = Evaluator(self.model, self.func, when_true).value(expr.body)
        orelse = Evaluator(self.model, self.func, when_false).value(expr.orelse)
        return join(body, orelse) or UNKNOWN

    # -- iteration ---------------------------------------------------------------------------
    def iterate(self, iterable: cst.BaseExpression) -> Value:
        """The value of each element of ``for x in iterable``."""
        if isinstance(iterable, cst.Call):
            qn = self.scope.imports.resolve(iterable.func)
            args = [a.value for a in iterable.args if not a.star and a.keyword is None]
            if qn == "builtins.range":
                return NUMBER
            if qn == "builtins.enumerate" and args:
                return Value("container", items=(NUMBER, self.iterate(args[0])))
            if qn == "builtins.zip" and args:
                return Value("container", items=tuple(self.iterate(a) for a in args))
            if qn in ("builtins.reversed", "builtins.sorted", "builtins.list", "builtins.tuple") and args:
                return self.iterate(args[0])
        value = self.value(iterable)
        return element_of(value)

    # -- calls -------------------------------------------------------------------------------
    def _Call(self, call: cst.Call) -> Value:
        value = self._call(call)
        if value.kind == "tensor" and value.producer is None and value.certain:
            value = replace(value, producer=call)
        return value

    def _call(self, call: cst.Call) -> Value:
        callee = call.func
        qn = None if self._local_head(callee) else self.scope.imports.resolve(callee)
        if qn is not None:
            found = self._qualified_call(qn, call)
            if found is not None:
                return found
        if isinstance(callee, cst.Attribute):
            owner = callee.value
            method = callee.attr.value
            if isinstance(owner, cst.Name) and owner.value == "self":
                return self._self_call(method, call)
            base = self.value(owner)
            return self._method_call(base, method, call)
        if isinstance(callee, cst.Name):
            bound = self.env.get(callee.value)
            if bound is not None:
                if bound.kind == "module":
                    return self._layer_call(bound, call)
                return UNKNOWN
            func = self.scope.lookup_function(callee.value, self.func)
            if func is not None:
                return self.model.returns(func)
            if callee.value in self.scope.classes:
                info = self.scope.classes[callee.value]
                return Value("module", layer=info) if info.is_module else OBJECT
        return UNKNOWN

    def _qualified_call(self, qn: str, call: cst.Call) -> Optional[Value]:
        if qn.startswith("builtins."):
            return self._builtin(qn[len("builtins."):], call)
        if qn == FLEX_ATTENTION:
            if any(a.keyword is not None and a.keyword.value in TUPLE_OPTIONS for a in call.args):
                return Value("container")
            return Value("tensor", why="`flex_attention()` returns a Tensor", certain=True)
        if qn in ("torch.nn.Parameter", "torch.nn.parameter.Parameter", "torch.nn.Buffer", "torch.Tensor"):
            return Value("tensor", why=f"`{qn}()` is a Tensor", certain=True)
        if qn.startswith("torch."):
            layer = self.types.layer(qn)
            if layer is not None:
                return Value("module", layer=qn)
            kind = self.types.function(qn, call)
            if kind is not None:
                return self._kind_value(kind, f"`{qn}()` returns")
            return None
        project = self.scope.project
        if project is not None and not qn.startswith(("torch.", "builtins.")):
            if qn in project.classes:
                return Value("module", layer=qn) if project.is_module_class(qn) else OBJECT
            if qn in project.returns:
                value = from_descriptor(project.returns[qn])
                if value.kind == "tensor":
                    value = replace(value, why=f"`{qn.rsplit('.', 1)[-1]}()` is annotated to return a Tensor")
                return value
        if qn.startswith(("math.", "operator.")) and qn.split(".")[1] in ("sqrt", "log", "exp", "floor", "ceil", "prod",
                                                                         "log2", "pow", "isqrt", "gcd", "lcm", "cos",
                                                                         "sin", "fabs", "comb", "factorial", "log10"):
            return NUMBER
        return None

    def _kind_value(self, kind: str, why: str) -> Value:
        if kind == "tensor":
            return Value("tensor", why=f"{why} a Tensor", certain=True)
        if kind == "tensors":
            return Value("container", elem=Value("tensor", why=f"{why} tensors"))
        if kind in ("number", "bool"):
            return NUMBER
        if kind == "numbers":
            return Value("container", elem=NUMBER)
        if kind == "shape":
            return Value("shape")
        if kind in ("str", "none", "object", "container"):
            return Value(kind)
        return UNKNOWN

    def _builtin(self, name: str, call: cst.Call) -> Value:
        args = [self.value(a.value) for a in call.args if not a.star and a.keyword is None]
        if name in NUMBER_BUILTINS:
            return NUMBER
        if name in STR_BUILTINS:
            return STR
        if name in CONTAINER_BUILTINS:
            return Value("container", elem=element_of(args[0]) if args else None)
        if name == "dict":
            return Value("container")
        if name in ("all", "any") and len(args) == 1 and args[0].kind == "tensor":
            # Python's all()/any() iterate the tensor and take each element's truth: the result
            # is a Python bool that depends on the data, as the tensor's own truth would
            return replace(args[0], boolean=True, producer=None, optional=False,
                           why=f"`{name}()` of a Tensor takes the truth of each element")
        if name in ("min", "max", "sum", "abs"):
            if args and all(a.kind == "number" for a in args):
                return NUMBER
            if name == "abs" and args and args[0].kind == "tensor":
                return replace(args[0], producer=None)
            if len(args) == 1 and args[0].kind in ("shape",):
                return NUMBER
            if len(args) == 1 and args[0].kind == "container" and args[0].elem is not None and args[0].elem.kind == "number":
                return NUMBER
            return UNKNOWN
        if name in ("type", "object", "super", "slice", "getattr", "vars", "globals", "locals", "iter", "next"):
            return UNKNOWN if name in ("getattr", "next", "iter") else OBJECT
        return UNKNOWN

    def _method_call(self, base: Value, method: str, call: cst.Call) -> Value:
        if base.kind == "tensor":
            kind = self.types.method(method, call)
            if kind is None:
                return UNKNOWN
            value = self._kind_value(kind, f"`Tensor.{method}()` returns")
            if value.kind == "tensor":
                keeps = ("clone", "contiguous", "to", "view", "reshape", "expand", "flatten", "unsqueeze", "squeeze",
                         "transpose", "permute", "detach", "__getitem__")
                boolean = method in BOOLEAN_METHODS or (base.boolean and method in keeps)
                return replace(base, boolean=boolean, producer=None, optional=False, certain=not base.assumed)
            return value
        if base.kind == "unknown" and not base.options and method == "bool" and not call.args:
            # `router_mask = router_mask.bool()`: only tensors (and numpy arrays, which Dynamo
            # turns into tensors) have `.bool()`
            return Value("tensor", boolean=True, why="`.bool()` gives a boolean Tensor", node=call)
        if base.kind == "module":
            if method in ("forward", "__call__"):
                return self._layer_call(base, call)
            return UNKNOWN
        if base.kind == "container":
            if method in ("pop", "get", "popleft", "setdefault"):
                return base.elem or UNKNOWN
            if method == "values":
                return Value("container", elem=base.elem)
            if method == "keys":
                return Value("container", elem=base.key)
            if method == "items":
                return Value("container", items=None, elem=Value("container", items=(base.key or UNKNOWN, base.elem or UNKNOWN)))
            if method in ("copy",):
                return base
            if method in ("index", "count"):
                return NUMBER
            return UNKNOWN
        if base.kind == "shape":
            if method in ("numel", "index", "count"):
                return NUMBER
            return UNKNOWN
        if base.kind == "str":
            if method in ("startswith", "endswith", "isdigit", "isalpha", "find", "count", "index"):
                return NUMBER
            if method in ("split", "rsplit", "splitlines"):
                return Value("container", elem=STR)
            return STR
        return UNKNOWN

    def _self_call(self, method: str, call: cst.Call) -> Value:
        attribute = self._self_attribute(method, call.func)  # type: ignore[arg-type]
        if attribute.kind == "module":
            return self._layer_call(attribute, call)
        if attribute.kind == "function" and isinstance(attribute.layer, tuple):
            # self.reduce_fn = torch.amax if ... else torch.mean: what every option returns
            found: Optional[Value] = None
            for qn in attribute.layer:
                value = self._qualified_call(qn, call) or UNKNOWN
                found = join(found, value) if found is not None else value
            return found or UNKNOWN
        if attribute.kind == "function" and attribute.layer is not None:
            return self.model.returns(attribute.layer)  # type: ignore[arg-type]
        return UNKNOWN

    def _layer_call(self, layer: Value, call: cst.Call) -> Value:
        kind_or_class = layer.layer
        project = self.scope.project
        if isinstance(kind_or_class, str) and not kind_or_class.startswith("torch.") and project is not None:
            value = from_descriptor(project.method_returns(kind_or_class, "forward"))
            if value.kind == "tensor":
                value = replace(value, why=Why("`{}` is a `{}`, whose forward is annotated to return a Tensor", code(call.func), kind_or_class.rsplit('.', 1)[-1]))
            return value
        if isinstance(kind_or_class, str):
            kind = self.types.layer(kind_or_class)
            name = kind_or_class.rsplit(".", 1)[-1]
            if kind == "tensor":
                return Value("tensor", why=Why("`{}` is a `torch.nn.{}`, which returns a Tensor", code(call.func), name),
                             certain=True)
            return self._kind_value(kind or "unknown", f"`torch.nn.{name}` returns")
        if kind_or_class is not None:
            forward = self.scope.method_of(kind_or_class, "forward")  # type: ignore[arg-type]
            if forward is not None:
                value = self.model.returns(forward)
                if value.kind == "tensor":
                    return replace(value, why=Why("`{}` is a `{}`, whose forward returns a Tensor", code(call.func), kind_or_class.name))
                return value
        return UNKNOWN


def _is_literal_number(expr: cst.BaseExpression) -> bool:
    if isinstance(expr, cst.UnaryOperation):
        expr = expr.expression
    return isinstance(expr, (cst.Integer, cst.Float)) or isinstance(expr, cst.Name) and expr.value in ("True", "False")
