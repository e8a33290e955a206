"""The file's definitions as the scope pass records them: classes and functions, what they call
and assign, and whether (and why) ``torch.compile`` traces them.

This module imports no other module of the package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import libcst as cst


@dataclass(eq=False)
class ClassInfo:
    node: cst.ClassDef
    name: str
    base_exprs: list[cst.BaseExpression]
    methods: dict[str, "FunctionInfo"] = field(default_factory=dict)
    is_module: bool = False
    #: attributes assigned tensors (nn.Parameter, register_buffer, torch.* results)
    tensor_attrs: set[str] = field(default_factory=set)
    #: attributes assigned layers (nn.* modules, in-file Module subclasses)
    layer_attrs: set[str] = field(default_factory=set)
    #: the subset of layer_attrs that are torch.nn's own modules (their output is a Tensor)
    torch_layer_attrs: set[str] = field(default_factory=set)
    #: attributes assigned Python numbers or bools (literals, or ``int(...)``/``float(...)``)
    number_attrs: set[str] = field(default_factory=set)
    #: attribute -> (kind, detail) for attributes whose every assignment agrees: ("tensor",
    #: "a Parameter"), ("number", ...), ("module", "torch.nn.Linear" or a ClassInfo)
    attr_values: dict[str, tuple[str, object]] = field(default_factory=dict)


@dataclass(eq=False)
class FunctionInfo:
    node: cst.FunctionDef
    name: str
    qualname: str
    cls: Optional[ClassInfo]
    parent: Optional["FunctionInfo"]
    decorators: list[cst.BaseExpression]
    nested: dict[str, "FunctionInfo"] = field(default_factory=dict)
    called_names: set[str] = field(default_factory=set)
    called_methods: set[str] = field(default_factory=set)
    #: (call node) of calls to plain names, for interprocedural tensor inference
    calls: list[cst.Call] = field(default_factory=list)
    #: plain names this function returns (a mod factory returns its nested mod)
    returned_names: set[str] = field(default_factory=set)
    #: names of what it returns called (``return Block()``: a model factory)
    returned_calls: set[str] = field(default_factory=set)
    #: name -> values assigned to it in this function's own body
    assigned: dict[str, list[cst.BaseExpression]] = field(default_factory=dict)
    compiled_reason: Optional[str] = None
    #: "entry" (its parameters are the compiled inputs), "mod" (a FlexAttention mod), "helper"
    role: str = "helper"
    disabled: bool = False
    #: Dynamo does not trace its body, and calling it does not break the graph:
    #: ``@torch.compiler.nonstrict_trace``, ``@leaf_function``, ``@torch.library.custom_op``
    opaque: bool = False
    #: for FlexAttention mods: "score" (score_mod) or "mask" (mask_mod)
    mod_kind: Optional[str] = None
    #: decorated with or passed to torch.compile (not only a Module's forward)
    explicit: bool = False
    #: plain names and ``self`` attributes passed as arguments to calls (``checkpoint(self._ffn,
    #: x)``, ``vmap(per_sample)``, ``partial(f, ...)``): callables handed to code that calls them
    passed_names: set[str] = field(default_factory=set)
    passed_self: set[str] = field(default_factory=set)
    #: ``self`` attributes read (a property read runs its body)
    self_reads: set[str] = field(default_factory=set)
    #: ``Name.apply(...)`` (a custom ``autograd.Function``)
    applied: set[str] = field(default_factory=set)
    #: the context managers of its ``with`` statements
    with_items: list[cst.BaseExpression] = field(default_factory=list)

    @property
    def is_compiled(self) -> bool:
        return self.compiled_reason is not None

    @property
    def is_method(self) -> bool:
        return self.cls is not None and self.parent is None
