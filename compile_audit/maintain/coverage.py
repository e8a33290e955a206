"""``docs/coverage.md``: which of Dynamo's graph-break codes the static rules predict, and why the rest
cannot be (or are not yet).

The codes come from the committed registry snapshot (``compile_audit.maintain.gb_registry``); the rules'
``gb_codes`` are read when the page is generated, so a rule that declares a new code moves that
code to *covered* the next time ``python -m compile_audit.maintain.docs`` runs. The codes no rule declares
get a reason from :data:`REASONS` below, a curated table: a family (which says whether a static
rule could predict the break) and, where useful, a note on the code itself.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from compile_audit.maintain.gb_registry import Code, Snapshot, load
from compile_audit.proofs import records
from compile_audit.lint.registry import all_rules

COVERED = "covered"
MISSING = "not covered yet"
UNDETECTABLE = "not statically detectable"
OUT_OF_SCOPE = "out of scope"
STATUSES = (COVERED, MISSING, UNDETECTABLE, OUT_OF_SCOPE)


@dataclass(frozen=True)
class Family:
    status: str
    title: str
    text: str


FAMILIES: dict[str, Family] = {
    "rule-possible": Family(
        MISSING, "Visible in the source, no rule yet",
        "What breaks is spelled out where it happens (a call, a method, a statement, an argument; with the type "
        "model where it must be a tensor or a torch object), so a rule could flag it. None does yet.",
    ),
    "hop-body": Family(
        MISSING, "Inside a higher-order op's body",
        "The function given to `torch.cond`, `torch.while_loop`, `torch.scan`, `torch.map`, activation "
        "checkpointing or FlexAttention does something these ops forbid: mutates its inputs or outer state, "
        "aliases an input, returns something other than tensors. A rule can follow a body that is a local "
        "function or a lambda, as the CA2xx rules do for `score_mod`/`mask_mod`; none does for these codes yet.",
    ),
    "runtime-type": Family(
        UNDETECTABLE, "Depends on an object's runtime type or value",
        "The source shows an ordinary attribute access, call, comparison or `with`; whether it breaks depends on "
        "the object that reaches it: its class (a user class with a custom `__getattr__`, `__hash__` or `__bool__`, "
        "a method implemented in C, a metaclass), whether a value is a compile-time constant, which callable a "
        "name holds. Classes and values are decided at run time, often in another module; the rules judge a call "
        "site with the type model, which knows tensors and torch's API, not user classes.",
    ),
    "c-slots": Family(
        UNDETECTABLE, "A C type Dynamo has not modelled",
        "Ordinary syntax (`-x`, `len(x)`, `x[i]`, `x in y`, `x + y`, `repr(x)`, `hash(x)`, `iter(x)`) breaks only "
        "when `x` belongs to a C-implemented type whose slot (`nb_negative`, `sq_item`, `tp_hash`, ...) Dynamo "
        "does not model yet. Which type reaches the operation is known only at run time.",
    ),
    "inputs": Family(
        UNDETECTABLE, "Depends on what is passed in",
        "A property of the tensors or objects the compiled code receives breaks it: layout (sparse, strided "
        "nested), a tensor subclass, a `grad_fn` made outside the compiled region, a forward-AD tangent, mixed "
        "devices or dtypes, how a module was wrapped. The caller decides those at run time.",
    ),
    "symbolic": Family(
        UNDETECTABLE, "Depends on symbolic shapes and values",
        "It comes from the symbolic values Dynamo makes while tracing (dynamic shapes, SymInts, unbacked values). "
        "Whether a size is static or symbolic is decided by Dynamo at run time (automatic dynamic shapes after a "
        "recompile, `mark_dynamic`), not by the source.",
    ),
    "earlier-break": Family(
        UNDETECTABLE, "Follows an earlier graph break",
        "Dynamo reports it while handling another break: one inside a loop, an inlined call or a context manager "
        "it cannot split, or values live at the break (generators, closures, context managers, user objects) that "
        "the resumed code cannot rebuild. Fixing the first break removes it, and a rule may predict that one; "
        "`--confirm` reports what no rule predicted as CA902.",
    ),
    "bytecode": Family(
        UNDETECTABLE, "Depends on the bytecode",
        "It depends on the bytecode CPython emits for the construct (which changes with the Python version: "
        "comprehension inlining in 3.12, intrinsic calls, generator cleanup), not on what the source reads.",
    ),
    "config": Family(
        UNDETECTABLE, "Only under a non-default configuration",
        "It happens only when a Dynamo setting or environment variable differs from its default "
        "(`trace_numpy=False`, `use_numpy_random_stream=True`, compiled autograd, export, testing switches). "
        "Settings are made at run time, usually far from the compiled code.",
    ),
    "environment": Family(
        UNDETECTABLE, "Depends on the run",
        "It depends on the run itself: how many times the code was recompiled, an operator's fake-tensor (meta) "
        "implementation, a custom op's registration, the backend compiler failing, packages that are not "
        "installed.",
    ),
    "torch-internals": Family(
        UNDETECTABLE, "Reached through torch internals",
        "A limitation reached through torch's own or experimental machinery: higher-order-op internals, opaque "
        "objects of custom-op libraries, FSDP and compiled-autograd internals, functorch transforms, TorchScript "
        "objects, user-written Triton kernels, executorch delegates. The construct lives inside torch or a "
        "library built on these APIs, not in the code a rule reads.",
    ),
    "user-error": Family(
        OUT_OF_SCOPE, "A bug with or without compile",
        "Dynamo's hint calls it a user error: the same code fails when run eagerly (a wrong argument count, an "
        "undefined variable, a bad unpacking, an exception that escapes). It is a bug in the program rather than "
        "a graph-break pattern; running the code (or a type checker) finds it.",
    ),
}


def _r(family: str, note: str = "") -> tuple[str, str]:
    return family, note


_SLOT = _r("c-slots")
_UE = _r("user-error")

#: Why no rule predicts a code: ``code -> (family, note)``, for every user-triggerable code of the
#: snapshot's release and of the newer release's added codes (tests/test_docs.py checks it). A code
#: that a rule declares is shown as covered whatever its entry here says.
REASONS: dict[str, tuple[str, str]] = {
    "GB0000": _UE,
    "GB0001": _r("inputs", "`t.as_subclass(cls)` breaks for a subclass that is not dispatcher-style; which class is passed is a run-time value."),
    "GB0002": _r("user-error", "A `torch._check`/assert on symbolic sizes that fails: it fails eagerly for the same sizes."),
    "GB0003": _r("rule-possible", "`torch.compile` applied to a generator function (a `def` with `yield`): visible at the compile site; reported for it on 2.13.0 and 2.14.1."),
    "GB0005": _r("runtime-type", "`str(obj)` where `obj`'s class has a C-implemented `__str__`."),
    "GB0006": _r("runtime-type", "`super().name()` where `name` is not a plain function (seen when raising a user exception class with keyword arguments whose `__init__` calls `super().__init__`)."),
    "GB0007": _r("rule-possible", "Calls to functions Dynamo skips (CA113, CA114, CA115, CA116, CA118, CA120, CA122, CA125 name the common ones)."),
    "GB0008": _r("runtime-type", "Inlining a Python function that Dynamo's trace rules skip: which callee it is depends on the file the called object comes from."),
    "GB0010": _UE,
    "GB0011": _UE,
    "GB0012": _UE,
    "GB0013": _r("earlier-break", "A `RemovableHandle` (from `register_*_hook`) made in one frame and live across a break or returned."),
    "GB0014": _r("rule-possible", "Calling an `nn.RNN`/`nn.GRU`/`nn.LSTM` module in compiled code (`allow_rnn` is off by default): the type model knows `self.lstm = nn.LSTM(...)`; reported for it on 2.13.0 and 2.14.1."),
    "GB0015": _r("inputs", "A sparse tensor passed in."),
    "GB0016": _r("inputs", "A strided (non-jagged) nested tensor passed in."),
    "GB0017": _r("torch-internals", "Calling `torch._higher_order_ops.invoke_subgraph` directly (the public API is `nested_compile_region`)."),
    "GB0018": _r("symbolic", "An unbacked SymInt as an input."),
    "GB0019": _r("earlier-break", "An `autograd.Function` context object escaping the traced region."),
    "GB0020": _UE,
    "GB0021": _UE,
    "GB0022": _r("environment", "An import inside compiled code that does not give a module."),
    "GB0024": _r("bytecode", "`generator.throw()`/`close()` raising `StopIteration` during cleanup."),
    "GB0026": _r("inputs", "Constructing a tensor subclass with more than the tensor argument."),
    "GB0028": _UE,
    "GB0030": _r("rule-possible", "`comptime.graph_break()` (a debugging API that breaks on purpose), like `torch._dynamo.graph_break()` that CA126 flags."),
    "GB0031": _r("runtime-type", "Attribute access on an `nn.Module` whose class defines `__getattribute__`."),
    "GB0033": _r("rule-possible", "Operators with data-dependent non-tensor outputs (CA103 and CA115 name some)."),
    "GB0034": _r("symbolic", "A data-dependent `assert` that Dynamo finds failing while tracing."),
    "GB0035": _r("runtime-type", "`if obj:` on a user object whose `__bool__` does not return a constant."),
    "GB0036": _r("rule-possible", "Operators whose output shape depends on data (CA110 and CA111 name them)."),
    "GB0037": _r("environment", "A dynamic-shape operator without a meta kernel for dynamic output shapes: a property of the operator's registration."),
    "GB0039": _r("environment", "The recompile limit was reached: counts of recompilations are a property of the run (CA3xx name common causes of recompiles)."),
    "GB0040": _r("hop-body", "A `torch.cond`/`while_loop`/checkpoint body returning one of its inputs unchanged (aliasing)."),
    "GB0041": _r("hop-body", "A higher-order-op body mutating one of its inputs in place."),
    "GB0042": _r("torch-internals", "`invoke_subgraph` given something other than a user function."),
    "GB0043": _r("environment", "A custom operator not tagged PT2-compliant: a property of the op's registration."),
    "GB0044": _r("inputs", "A strided nested tensor reaching automatic dynamic shapes."),
    "GB0045": _r("rule-possible", "`t.is_inference()` in compiled code; reported for it on 2.13.0 and 2.14.1."),
    "GB0046": _r("rule-possible", "`torch.is_inference_mode_enabled()` in compiled code; reported for it on 2.13.0 and 2.14.1."),
    "GB0049": _r("environment", "An operator overload packet that cannot be resolved."),
    "GB0050": _UE,
    "GB0051": _UE,
    "GB0052": _r("environment", "Dynamo restarted the analysis of one frame 100+ times."),
    "GB0053": _r("inputs", "An FSDP (v1) module wrapped with `use_orig_params=False` (the default) reaching compiled code; the wrapping happens where the model is built."),
    "GB0055": _r("runtime-type", "An argument Dynamo cannot put in the graph (for example a `torch.Generator` as `generator=`)."),
    "GB0056": _r("rule-possible", "`t.data = ...` on a tensor created inside compiled code; reported for it on 2.13.0 and 2.14.1."),
    "GB0058": _r("rule-possible", "Assigning a tensor attribute with a special setter (`t.real = ...`, `t.imag = ...`); reported for `t.real =` on 2.13.0 and 2.14.1."),
    "GB0059": _r("rule-possible", "Builtins on argument types Dynamo cannot trace (CA105, CA107, CA109, CA117 name common ones)."),
    "GB0060": _r("config", "`TestCase.assertWarns*` in compiled test code, only with `enable_trace_unittest` on; gone from 2.14.1's registry."),
    "GB0061": _UE,
    "GB0062": _UE,
    "GB0064": _r("environment", "An exception while propagating fake tensors through an operator."),
    "GB0065": _r("earlier-break", "A break inside a function Dynamo inlined where it cannot resume (for example under a context manager)."),
    "GB0066": _r("earlier-break", "A break inside a `with` block whose context manager cannot be split around it."),
    "GB0067": _r("hop-body", "A higher-order-op body (activation checkpointing, `torch.cond`) mutating a variable from outside."),
    "GB0068": _r("torch-internals", "A method banned in strict mode (compiled autograd's backward tracing)."),
    "GB0069": _UE,
    "GB0071": _r("runtime-type", "Inlining a callable that carries `__self__` (a bound method object Dynamo cannot decompose)."),
    "GB0072": _r("rule-possible", "An in-place view op (`t_()`, `transpose_()`, `squeeze_()`...) on an input tensor; `x.t_()` on an input reports GB0148 instead on 2.13.0 and 2.14.1."),
    "GB0073": _r("torch-internals", "Calling an `nn.Module` inside a higher-order op body."),
    "GB0074": _r("torch-internals", "Calling an `nn.Module` inside a higher-order op body."),
    "GB0076": _UE,
    "GB0078": _r("runtime-type", "A `torch._dynamo.nonstrict_trace` function used in a way it does not support (defined inside the compiled region, for example)."),
    "GB0079": _r("bytecode", "A `CALL_INTRINSIC_1` instruction Dynamo has no handler for."),
    "GB0081": _UE,
    "GB0082": _r("bytecode", "A bytecode instruction Dynamo has no handler for."),
    "GB0083": _r("inputs", "A module with full backward hooks registered, compiled without compiled autograd: the hooks are registered at run time."),
    "GB0084": _r("runtime-type", "`super().__delattr__(name)` with a non-constant name."),
    "GB0085": _r("runtime-type", "An `autograd.Function` whose `forward` is not a plain function."),
    "GB0086": _r("runtime-type", "A value Dynamo needs as a Python constant (an argument to a function it evaluates at compile time) is not one."),
    "GB0087": _r("environment", "An operator raising `NotImplementedError` on fake tensors."),
    "GB0088": _r("user-error", "An exception raised by the traced code and not caught inside it."),
    "GB0090": _r("environment", "An operator with no fake-tensor implementation (custom ops without `register_fake`; also `torch.nested.nested_tensor` with the strided layout)."),
    "GB0091": _UE,
    "GB0092": _r("earlier-break", "A value made in compiled code that is live at a break or returned, and that Dynamo cannot rebuild."),
    "GB0094": _r("runtime-type", "`yield from`/`await` on an object Dynamo does not model."),
    "GB0097": _r("runtime-type", "Replaying a mutation of a `deque` with a `maxlen` that comes from outside the compiled region; whether it has a `maxlen` is set where it was built."),
    "GB0098": _r("rule-possible", "Calls to `torch.compiler.disable`d functions (CA127, CA125)."),
    "GB0099": _r("rule-possible", "Calls to `torch.compiler.disable`d functions (CA127)."),
    "GB0100": _r("rule-possible", "Storing a tensor hook's handle in a global (`global h; h = t.register_hook(...)`); reported for it on 2.13.0 and 2.14.1."),
    "GB0101": _r("rule-possible", "The same, in a function inlined into compiled code."),
    "GB0102": _r("torch-internals", "An attribute banned in strict mode (compiled autograd's backward tracing)."),
    "GB0103": _r("inputs", "Calling a method a tensor subclass overrides."),
    "GB0104": _r("inputs", "A tensor with a `grad_fn` reaching Dynamo directly."),
    "GB0105": _r("config", "`t.numpy()` with `trace_numpy=False`."),
    "GB0106": _r("environment", "`t.numpy()` without NumPy installed."),
    "GB0107": _r("rule-possible", "`t.random_()` in compiled code; reported for it on 2.13.0 and 2.14.1."),
    "GB0108": _r("rule-possible", "`t.retain_grad()` in compiled code (also with `backend=\"eager\"`); reported for it on 2.13.0 and 2.14.1."),
    "GB0109": _r("rule-possible", "`t.tolist()` on a non-integer tensor (CA103)."),
    "GB0110": _r("rule-possible", "`t.uniform_(**{\"from\": a, \"to\": b})`: `from` can only be given through a dict; reported for it on 2.13.0 and 2.14.1."),
    "GB0111": _UE,
    "GB0112": _UE,
    "GB0113": _r("runtime-type", "An attribute reached through `super()` that Dynamo cannot resolve in the class hierarchy."),
    "GB0115": _r("runtime-type", "`itertools.groupby` whose key function fails while Dynamo traces it."),
    "GB0117": _r("runtime-type", "An error while Dynamo handles a method call (seen for `t.share_memory_()` on 2.13.0, which 2.14.1 reports as GB4197)."),
    "GB0119": _r("user-error", "An `nn.Module` whose `__init__` did not call `super().__init__()`."),
    "GB0120": _r("bytecode", "A sub-generator path of Dynamo's generator support."),
    "GB0121": _r("runtime-type", "A method of an `nn.Module` Dynamo traces as an unspecialized module."),
    "GB0123": _r("rule-possible", "`loss.backward()` in compiled code (CA123)."),
    "GB0124": _r("rule-possible", "`t.item()` and Python-scalar conversions (CA102, CA106, CA109)."),
    "GB0125": _r("rule-possible", "`x.requires_grad_()` on a tensor passed in (CA128 covers tensors made in compiled code); reported for it on 2.13.0 and 2.14.1."),
    "GB0126": _r("rule-possible", "`t.resize_(...)` in compiled code; reported for it on 2.13.0 and 2.14.1."),
    "GB0127": _r("rule-possible", "`t.resize_as_(other)` in compiled code; reported for it on 2.13.0 and 2.14.1."),
    "GB0128": _r("rule-possible", "`t.set_(storage, offset, size, ...)` with more than one argument; reported for it on 2.13.0 and 2.14.1."),
    "GB0129": _r("rule-possible", "`t.sparse_resize_(...)` in compiled code."),
    "GB0130": _r("rule-possible", "`t.sparse_resize_and_clear_(...)` in compiled code."),
    "GB0131": _r("runtime-type", "Inlining `__setitem__`/`__setattr__`/`__delitem__`/`__delattr__` on an object that is not a user-defined one."),
    "GB0134": _r("user-error", "`itertools.groupby` with arguments it does not take."),
    "GB0135": _r("rule-possible", "Setting an attribute other than `__context__`/`__cause__`/`__suppress_context__`/`__traceback__` on a caught exception (`e.note = ...`); reported on 2.13.0, traced by 2.14.1."),
    "GB0137": _UE,
    "GB0138": _r("runtime-type", "`ctx.save_for_backward` where Dynamo has no `saved_tensors` for the context (a context not made by `apply`)."),
    "GB0139": _r("rule-possible", "Calling a method other than the supported ones (`save_for_backward`, `mark_non_differentiable`, ...) on an `autograd.Function` context in `forward`."),
    "GB0140": _r("rule-possible", "Calling a method other than `apply`/`forward`/`backward` on an `autograd.Function` class in compiled code."),
    "GB0142": _r("runtime-type", "`with obj:` where `obj`'s type is not a context manager Dynamo models (decided by the object's class)."),
    "GB0144": _r("rule-possible", "An `autograd.Function` subclass that defines `jvp`, applied in compiled code."),
    "GB0145": _r("rule-possible", "An `autograd.Function` subclass that defines `vjp`, applied in compiled code."),
    "GB0146": _r("rule-possible", "`torch.cuda.Event`/stream methods other than `wait`, `record`, `synchronize`, `query` (for example `elapsed_time`)."),
    "GB0147": _r("runtime-type", "A call to a function Dynamo cannot trace (C functions, builtins of unknown modules); which function a name holds is a run-time fact unless a rule lists it (as CA122 does for GB0007)."),
    "GB0148": _r("runtime-type", "A call Dynamo decided earlier must break (seen for in-place view ops on inputs, `x.t_()`)."),
    "GB0149": _r("torch-internals", "A functorch transform Dynamo cannot trace in this form."),
    "GB0150": _r("runtime-type", "`hasattr(obj, name)` on an object type Dynamo cannot answer for."),
    "GB0152": _r("runtime-type", "`itertools.groupby` whose keys are not constants."),
    "GB0153": _r("symbolic", "Indexing an `nn.ModuleList`/`Sequential` with a non-constant key (a tensor or a symbolic int)."),
    "GB0155": _UE,
    "GB0156": _r("rule-possible", "Methods Dynamo cannot trace on objects of known types (CA122 names common ones)."),
    "GB0157": _r("rule-possible", "Reading an `ndarray` attribute torch's NumPy layer does not model: possible where the type model knows the array (it does not track NumPy arrays yet)."),
    "GB0158": _r("rule-possible", "Calling an `ndarray` method torch's NumPy layer does not model (`a.tobytes()`, ...); reported for `a.tobytes()` on 2.13.0 and 2.14.1. Needs NumPy arrays in the type model."),
    "GB0159": _r("rule-possible", "`ndarray.__version__`-style attributes (the same gap as GB0157)."),
    "GB0161": _r("runtime-type", "An `nn.Module` attribute of a type Dynamo cannot trace; the attribute is set at run time."),
    "GB0162": _r("runtime-type", "`super().__init__()` of an `nn.Module` subclass constructed inside compiled code that Dynamo cannot trace."),
    "GB0163": _r("inputs", "An attribute of a tensor subclass."),
    "GB0164": _r("inputs", "An attribute a tensor subclass overrides."),
    "GB0165": _r("torch-internals", "`torch._C._ImperativeEngine` (`Variable._execution_engine`) methods other than `queue_callback`."),
    "GB0166": _r("torch-internals", "`queue_callback` outside compiled autograd."),
    "GB0167": _UE,
    "GB0169": _r("runtime-type", "Writing to a closure cell Dynamo sees as immutable (a cell of a function made outside the traced code)."),
    "GB0170": _r("rule-possible", "Branching on tensor values (CA104, CA108, CA205)."),
    "GB0171": _r("runtime-type", "An `AssertionError` built with a message that is not a constant string, when the assert's condition is not a constant."),
    "GB0172": _r("rule-possible", "`torch.distributed` collectives with `async_op=True` in compiled code; reported for `dist.all_reduce(x, async_op=True)` on 2.13.0 and 2.14.1."),
    "GB0173": _r("config", "Compiled autograd's backward state under `torch.export`."),
    "GB0174": _r("user-error", "`typing.cast` with other than two arguments."),
    "GB0177": _r("runtime-type", "A callable that is not a Python function where Dynamo expects one (C functions reached through `super()` or attribute lookup)."),
    "GB0179": _r("runtime-type", "`copy.deepcopy(obj)` that Dynamo cannot trace: tensors and modules report GB4198 (CA119); plain lists compile."),
    "GB0180": _r("runtime-type", "`dataclasses.fields()` on an object that is not a user-defined instance."),
    "GB0181": _r("inputs", "A parameter whose `.grad` has another dtype (seen with FSDP)."),
    "GB0182": _UE,
    "GB0183": _r("runtime-type", "`dict.fromkeys(...)` whose argument cannot be listed or whose keys are not hashable."),
    "GB0184": _UE,
    "GB0185": _r("runtime-type", "An `ndarray` that cannot be converted to a tensor (object dtype, for example)."),
    "GB0186": _UE,
    "GB0189": _r("runtime-type", "`getattr` on an `nn.Module` with pending attribute mutations."),
    "GB0190": _r("runtime-type", "`getattr(obj, name)` where `name` is not a constant while tracing."),
    "GB0193": _r("runtime-type", "A builtin called with arguments its Dynamo handler rejects (seen for `super(Cls).method`, which fails eagerly too)."),
    "GB0194": _r("runtime-type", "`isinstance()` on a user object with C extensions."),
    "GB0196": _UE,
    "GB0198": _r("runtime-type", "A `mappingproxy` used after its dictionary was mutated."),
    "GB0199": _r("earlier-break", "A `mappingproxy` made outside the region, live at a break or returned."),
    "GB0200": _r("config", "A testing switch of Dynamo (missing `BUILD_SET` handler)."),
    "GB0201": _r("runtime-type", "A namedtuple constructed from argument types Dynamo does not take."),
    "GB0202": _r("runtime-type", "An `nn.Module` method called with non-constant arguments where Dynamo needs constants."),
    "GB0203": _r("runtime-type", "A `dict_keys` view whose keys are not constants."),
    "GB0204": _r("runtime-type", "A `mappingproxy` whose keys are not constants."),
    "GB0206": _r("rule-possible", "`t.requires_grad = ...` on a tensor in compiled code; reported for it on 2.13.0 and 2.14.1."),
    "GB0207": _r("rule-possible", "`sorted()`/`.sort()`/`min`/`max` keyed on tensors (a list of tensor elements, or a key returning tensors); reported for `sorted([x[0], x[1]])` on 2.13.0 and 2.14.1. Needs element types of lists."),
    "GB0208": _r("runtime-type", "A `torch.*` function returning a non-tensor Dynamo cannot put in the graph."),
    "GB0209": _r("earlier-break", "A break inside `torch.autograd._unsafe_preserve_version_counter`, or returning it."),
    "GB0210": _r("environment", "torch built without `torch.distributed`."),
    "GB0211": _r("runtime-type", "An `nn.Module` whose `__getattr__` is not a Python function."),
    "GB0212": _r("earlier-break", "A break inside a `torch.profiler` context, or returning the profiler."),
    "GB0213": _r("runtime-type", "A builtin operator Dynamo has no tensor implementation for (decided by the operator and the operand types)."),
    "GB0214": _r("symbolic", "A comparison Dynamo cannot do on symbolic ints."),
    "GB0215": _r("runtime-type", "A comparison operator on tensors Dynamo cannot trace."),
    "GB0216": _r("torch-internals", "A user Triton kernel launched with a grid that is not list-like."),
    "GB0217": _r("runtime-type", "`hasattr` on an object Dynamo cannot answer for (a dict subclass, for example)."),
    "GB0219": _r("environment", "The backend compiler raised; Dynamo falls back with a break."),
    "GB0220": _r("runtime-type", "`t.data = other` with another dtype: the dtypes are run-time values."),
    "GB0221": _r("user-error", "A `@contextlib.contextmanager` function without `yield`: entering it fails eagerly too."),
    "GB0222": _r("inputs", "A `set` holding tensors passed in or read from outside (a set built inside compiled code compiles)."),
    "GB0223": _r("rule-possible", "`torch.compile(fn, <more positional arguments>)` inside compiled code."),
    "GB0224": _r("symbolic", "A `torch` function called on SymInts only."),
    "GB0225": _r("rule-possible", "A tensor factory with `requires_grad=True` in compiled code (`torch.zeros(n, requires_grad=True)`); reported for it on 2.13.0 and 2.14.1."),
    "GB0226": _UE,
    "GB0227": _r("inputs", "`nn.Parameter(t)` with `t` a tensor subclass."),
    "GB0228": _r("torch-internals", "`nn.Parameter` under `do_not_convert_to_tracable_parameter`."),
    "GB0229": _r("torch-internals", "Parameter construction from an unexpected graph node."),
    "GB0231": _r("config", "`torch.from_numpy` with `trace_numpy=False`."),
    "GB0232": _UE,
    "GB0233": _r("rule-possible", "Creating a strided nested tensor in compiled code (`torch.nested.*` with `layout=torch.strided`); `torch.nested.nested_tensor` reports GB0090 on 2.13.0."),
    "GB0234": _UE,
    "GB0235": _UE,
    "GB0236": _r("runtime-type", "A `nonstrict_trace` function given an input type pytree does not know."),
    "GB0237": _UE,
    "GB0238": _r("runtime-type", "A `nonstrict_trace` function given a `register_constant` object built inside the region."),
    "GB0239": _r("runtime-type", "A `nonstrict_trace` input whose pytree flattening puts an object in the context."),
    "GB0240": _r("runtime-type", "An `out=` list whose shapes do not match the result: shapes are run-time values."),
    "GB0241": _r("inputs", "An `out=` list of non-contiguous tensors."),
    "GB0242": _r("inputs", "A non-contiguous `out=` tensor."),
    "GB0243": _r("runtime-type", "`torch.nn.modules.utils._ntuple` on an argument that is neither constant nor tensor."),
    "GB0244": _r("config", "`nn.Parameter()` inside `torch.export`."),
    "GB0245": _UE,
    "GB0246": _r("rule-possible", "`F.one_hot(t)` without `num_classes` (or with `-1`) in compiled code; reported for it on 2.13.0 and 2.14.1."),
    "GB0247": _r("runtime-type", "An `out=` tensor whose shape does not match the result."),
    "GB0248": _UE,
    "GB0249": _UE,
    "GB0250": _r("rule-possible", "`a.astype(object)`/`astype('O')` on an array in compiled code; reported for it on 2.13.0 and 2.14.1."),
    "GB0251": _r("runtime-type", "A `nonstrict_trace` function returning an unsupported type."),
    "GB0252": _UE,
    "GB0253": _r("runtime-type", "A method call on a user generator object in a form Dynamo does not follow faithfully."),
    "GB0254": _r("runtime-type", "`setattr(obj, name, v)` on a user object with a non-constant name."),
    "GB0255": _r("runtime-type", "Calling, as a method, a user object made inside the compiled region."),
    "GB0256": _r("runtime-type", "A user object whose `__getattr__` is not a Python function."),
    "GB0257": _r("runtime-type", "Building a `TypedDict` with optional keys (`total=False`) whose class may be defined anywhere."),
    "GB0258": _UE,
    "GB0260": _UE,
    "GB0262": _r("runtime-type", "A `contextlib` helper Dynamo does not support (decided by the object; `contextlib.suppress` compiles)."),
    "GB0263": _r("config", "`@contextlib.contextmanager` functions with `enable_trace_contextlib=False`."),
    "GB0264": _r("rule-possible", "`nn.Parameter(...)` constructed in compiled code; reported for it on 2.13.0 and 2.14.1."),
    "GB0265": _UE,
    "GB0266": _r("torch-internals", "A TorchScript object method Dynamo does not support (`__setattr__`, ...)."),
    "GB0267": _r("torch-internals", "A non-callable attribute of a TorchScript object."),
    "GB0268": _UE,
    "GB0269": _r("config", "A testing switch (`debug_force_graph_break_on_leaf_return`)."),
    "GB0271": _r("runtime-type", "Mutating a class attribute after the class `__dict__` was materialized while tracing."),
    "GB0273": _r("runtime-type", "Keyword arguments to an exception constructor (user exception classes; 2.13.0 and 2.14.1 report GB0006 when `__init__` calls `super().__init__`)."),
    "GB0276": _r("runtime-type", "An object that does not allow weak references, where Dynamo needs one."),
    "GB0277": _r("inputs", "A sparse tensor reaching Dynamo."),
    "GB0278": _r("runtime-type", "`X.fromkeys()` where `X` is not a dict type Dynamo knows."),
    "GB0279": _r("earlier-break", "A break inside `torch.fx.traceback.annotate`, or returning it."),
    "GB0280": _r("rule-possible", "The one-argument `super(Cls)` form in compiled code (`super(Cls).method` reports GB0193 on 2.13.0)."),
    "GB0281": _r("symbolic", "Indexing an `nn.Module` container with a key that is not a constant int or str."),
    "GB0283": _r("runtime-type", "An external object made in the graph that does not allow weak references."),
    "GB0285": _UE,
    "GB0286": _UE,
    "GB0289": _r("runtime-type", "A method of a `typing` construct Dynamo does not support."),
    "GB0290": _r("runtime-type", "A `numpy.*` function reached as a method."),
    "GB0291": _r("rule-possible", "`logging.Logger` methods (CA112)."),
    "GB0292": _r("runtime-type", "A method of a constant-like object returning a type Dynamo cannot represent."),
    "GB0293": _r("config", "NumPy functions with `trace_numpy=False`."),
    "GB0294": _r("rule-possible", "NumPy functions torch's NumPy layer lacks (CA129 names the file I/O ones)."),
    "GB0296": _r("runtime-type", "A reorderable debugging call (`print`, logging) with arguments that are not tensors, constants or format strings."),
    "GB0297": _UE,
    "GB0298": _r("config", "`np.random` functions with `use_numpy_random_stream=True`."),
    "GB0299": _r("runtime-type", "A method of a constant-like object called with non-constant arguments."),
    "GB0300": _UE,
    "GB0301": _r("torch-internals", "A higher-order op's operands with non-tensor leaves (its internal check)."),
    "GB0302": _r("torch-internals", "A higher-order op given a non-callable body."),
    "GB0303": _UE,
    "GB0305": _UE,
    "GB0308": _UE,
    "GB0309": _UE,
    "GB0310": _UE,
    "GB0311": _UE,
    "GB0312": _UE,
    "GB0313": _UE,
    "GB0314": _r("user-error", "A higher-order-op body returning something other than tensors or ints/bools."),
    "GB0317": _UE,
    "GB0318": _UE,
    "GB0319": _UE,
    "GB0324": _UE,
    "GB0325": _UE,
    "GB0326": _UE,
    "GB0327": _r("torch-internals", "`executorch_call_delegate` with keyword arguments."),
    "GB0332": _r("torch-internals", "`wrap_with_set_grad_enabled` (an export-internal higher-order op) with free variables."),
    "GB0334": _r("torch-internals", "`wrap_with_autocast` (an export-internal higher-order op) with free variables."),
    "GB0335": _UE,
    "GB0336": _UE,
    "GB0337": _UE,
    "GB0339": _UE,
    "GB0340": _UE,
    "GB0341": _UE,
    "GB0342": _r("torch-internals", "`torch.scan`'s `combine_fn` not wrapped the way its public API wraps it."),
    "GB0343": _UE,
    "GB0345": _UE,
    "GB0346": _r("runtime-type", "An `autograd.Function` whose `forward` is not a function or method."),
    "GB0347": _r("rule-possible", "Assigning `ctx._materialize_non_diff_grads` in an `autograd.Function.forward`."),
    "GB0349": _r("torch-internals", "A higher-order op's meta-consistency check on a value that is not a tensor or int."),
    "GB0350": _UE,
    "GB0351": _UE,
    "GB0352": _r("runtime-type", "An `autograd.Function` whose `backward` is not a function or method."),
    "GB0353": _r("config", "`torch.export`'s signature rewriting with an optional input."),
    "GB0356": _r("torch-internals", "FlexAttention's backward higher-order op given an argument Dynamo does not handle."),
    "GB0358": _r("torch-internals", "An optimizer step with pending mutations on a parameter (an optimizer `closure`)."),
    "GB0359": _UE,
    "GB0360": _r("symbolic", "`guard_scalar` on something that is not a symbolic value or constant."),
    "GB0361": _r("torch-internals", "A user Triton kernel using a feature Dynamo's Triton support does not handle."),
    "GB0363": _r("rule-possible", "Making an opaque object in compiled code: `torch.Generator()` reports it on 2.13.0 and 2.14.1 (other opaque types come from custom-op libraries)."),
    "GB0367": _r("runtime-type", "`==` on an object whose equality Dynamo cannot determine (as a dict key)."),
    "GB0370": _r("earlier-break", "A break inside `torch.profiler.record_function`, or returning it."),
    "GB0372": _r("inputs", "`torch.autograd.grad` through a tensor whose `grad_fn` was made outside the compiled region."),
    "GB0373": _r("config", "`torch.autograd.grad` in compiled code with compiled autograd on."),
    "GB0374": _r("rule-possible", "Sparse tensor factories in compiled code (`torch.sparse_coo_tensor` reports GB0007 on 2.13.0)."),
    "GB0442": _r("runtime-type", "`backward(inputs=[...])` where none of the inputs is a leaf requiring grad."),
    "GB0467": _r("runtime-type", "`setattr()` on an object type Dynamo cannot mutate."),
    "GB0569": _r("rule-possible", "`repr()`/`str()` of a tensor (CA107)."),
    "GB0682": _r("runtime-type", "Hashing an attribute value Dynamo could not resolve."),
    "GB0755": _SLOT,
    "GB0781": _SLOT,
    "GB0808": _SLOT,
    "GB0811": _SLOT,
    "GB0871": _UE,
    "GB1042": _r("rule-possible", "`loss.backward(inputs=[t])` with `t` made inside the compiled region (CA123 flags `backward()` itself)."),
    "GB1140": _r("runtime-type", "`_autograd_grad` given a non-tensor argument."),
    "GB1177": _r("hop-body", "A higher-order-op body modifying a module's parameters or buffers in place."),
    "GB1220": _SLOT,
    "GB1297": _r("earlier-break", "A self-referential value live at a break or returned."),
    "GB1319": _r("earlier-break", "An instance of a class defined inside compiled code escaping the region."),
    "GB1380": _r("torch-internals", "`__getitem__` in strict mode (compiled autograd's backward tracing)."),
    "GB1381": _r("runtime-type", "`torch.autograd.grad` twice through the same graph without `retain_graph=True`."),
    "GB1584": _r("runtime-type", "`repr()` of a nested function whose closure Dynamo cannot rebuild."),
    "GB1724": _r("runtime-type", "`autograd.grad`/`backward` given a dict with non-constant keys."),
    "GB1750": _r("rule-possible", "Constructing `torch.distributed.P2POp` in compiled code (P2P compilation is off unless `TORCHDYNAMO_ENABLE_P2P_COMPILATION=1`)."),
    "GB1752": _SLOT,
    "GB2019": _r("rule-possible", "`ctx.mark_dirty(...)` in an `autograd.Function` that compiled code calls other than through `apply`."),
    "GB2078": _r("torch-internals", "A member of an opaque object that its type did not register."),
    "GB2404": _r("runtime-type", "A user class Dynamo cannot construct with `object.__new__` for side-effect replay."),
    "GB2464": _UE,
    "GB2483": _SLOT,
    "GB2520": _r("runtime-type", "A `torch._dynamo.assume_constant_result` function given an argument that is not a constant."),
    "GB2533": _r("earlier-break", "A `@contextmanager` object live at a break or returned."),
    "GB2544": _SLOT,
    "GB2549": _UE,
    "GB2696": _r("rule-possible", "`dist.isend`/`dist.irecv` in compiled code (P2P compilation is off unless `TORCHDYNAMO_ENABLE_P2P_COMPILATION=1`); reported for `dist.isend` on 2.13.0 and 2.14.1."),
    "GB2852": _r("runtime-type", "A user `__repr__` Dynamo cannot trace safely."),
    "GB2861": _SLOT,
    "GB2922": _UE,
    "GB2977": _r("torch-internals", "A JIT-wrapped function without `_torchdynamo_inline`."),
    "GB3006": _SLOT,
    "GB3241": _SLOT,
    "GB3326": _r("torch-internals", "`create_*d_tma_descriptor` given a `ptr` that is not from `.data_ptr()` (Triton kernels)."),
    "GB3383": _r("rule-possible", "Constructing a pydantic dataclass in compiled code: possible where the class is defined in the scan with `@pydantic.dataclasses.dataclass`."),
    "GB3697": _SLOT,
    "GB3775": _SLOT,
    "GB3934": _SLOT,
    "GB4197": _r("rule-possible", "`t.share_memory_()` in compiled code (2.13.0 reports GB0117 for it, 2.14.1 GB4197)."),
    "GB4198": _r("rule-possible", "`copy.deepcopy()` of a tensor (CA119)."),
    "GB4271": _r("rule-possible", "`obj.__class__ = Other` in compiled code; reported for it on 2.13.0 and 2.14.1."),
    "GB4297": _r("rule-possible", "`torch._dynamo.skip_frame()` in compiled code (an explicit request, like `graph_break()` that CA126 flags); reported for it on 2.13.0 and 2.14.1."),
    "GB4315": _UE,
    "GB4347": _SLOT,
    "GB4372": _r("rule-possible", "`MyFunction.apply(...)` of an `autograd.Function` whose `forward` has keyword-only parameters."),
    "GB4393": _UE,
    "GB4411": _SLOT,
    "GB4413": _r("hop-body", "A higher-order-op body changing an outer object's attribute without restoring it."),
    "GB4501": _r("earlier-break", "An `id()` of a container made while tracing, live at a break."),
    "GB4608": _r("runtime-type", "A comparison falling back to identity on objects whose identity Dynamo cannot determine."),
    "GB4636": _r("rule-possible", "`torch._dynamo.step_unsupported()` (a debugging API); depending on the code around it Dynamo reports this code, GB0275, or under `fullgraph=True` GB0284 (both hinted as Dynamo bugs)."),
    "GB4695": _r("rule-possible", "Calling a `torch.jit.script`ed or frozen module in compiled code: CA125 flags TorchScript calls with GB0007/GB0098 but does not declare this code, which 2.13.0 and 2.14.1 report for a scripted `nn.Linear`."),
    "GB4778": _r("earlier-break", "A nested function with a closure live at a break or returned from the compiled function."),
    "GB4880": _SLOT,
    "GB4927": _r("runtime-type", "`torch.autograd.grad` consuming graph parts that returned tensors still need."),
    "GB5173": _r("inputs", "Tensors on different devices in one operation."),
    "GB5195": _r("runtime-type", "`elementwise_dtypes` given arguments that are neither tensors nor constants."),
    "GB5458": _r("runtime-type", "Attribute access on a class whose metaclass overrides `__getattribute__`."),
    "GB5748": _r("inputs", "`torch.autograd.grad` with a `GradientEdge` made outside the compiled region."),
    "GB5849": _r("runtime-type", "Replacing an object's `__dict__` with non-constant keys."),
    "GB5904": _SLOT,
    "GB5976": _r("rule-possible", "Comparing tensors' `data_ptr()` (CA121)."),
    "GB6012": _r("runtime-type", "`len(obj)` where the class's `__len__` is not traceable."),
    "GB6017": _r("torch-internals", "`executorch_call_delegate` whose first argument is not a module."),
    "GB6053": _SLOT,
    "GB6210": _r("runtime-type", "A `leaf_function` given an `nn.Module` made inside the compiled region."),
    "GB6215": _r("runtime-type", "Comparing an attribute value Dynamo could not resolve."),
    "GB6270": _r("inputs", "A tensor method not defined on the tensor's (subclass) type and without a Dynamo handler."),
    "GB6276": _r("bytecode", "A comprehension whose bytecode Dynamo's analysis does not recognise."),
    "GB6297": _r("runtime-type", "`autograd.Function.apply` given the same tensor for two inputs: identity is a run-time fact."),
    "GB6604": _r("bytecode", "A `CALL_INTRINSIC_2` instruction Dynamo has no handler for."),
    "GB6622": _r("runtime-type", "Comparing lists/tuples whose element comparison is not a constant."),
    "GB6663": _r("runtime-type", "`torch.autograd.grad` given a non-tensor argument."),
    "GB6735": _r("rule-possible", "`torch.library.wrap_triton(kernel, ...)` with more than one argument in compiled code."),
    "GB7000": _r("earlier-break", "A break inside a `for`/`while` loop: Dynamo runs the whole frame eagerly."),
    "GB7054": _r("rule-possible", "`backward(inputs=[t])` with a non-leaf `t` (the type model knows tensors made in compiled code)."),
    "GB7286": _SLOT,
    "GB7299": _r("runtime-type", "Calling the closure returned by `torch.func.vjp` made outside the compiled region."),
    "GB7312": _r("user-error", "Calling a function with arguments that do not bind to its parameters."),
    "GB7324": _r("rule-possible", "Returning an intermediate after `requires_grad_()` (CA128)."),
    "GB7444": _r("rule-possible", "A `register_hook` callback that branches on the gradient's metadata (strides, layout)."),
    "GB7489": _r("runtime-type", "A tensor method given an argument type Dynamo cannot put in the graph."),
    "GB7502": _r("runtime-type", "A user class Dynamo cannot construct with its `__new__` for side-effect replay."),
    "GB7510": _SLOT,
    "GB7596": _UE,
    "GB7637": _UE,
    "GB7650": _r("rule-possible", "Methods of a `torch.Generator` in compiled code (`g.manual_seed()`, `g.get_state()`): the type model can know `torch.Generator()` values; reported for them on 2.13.0 and 2.14.1."),
    "GB7685": _r("torch-internals", "An attribute missing on an opaque class."),
    "GB7786": _SLOT,
    "GB8335": _r("earlier-break", "A generator with mutated variables live at a break or returned: Dynamo would have to exhaust it."),
    "GB8656": _r("torch-internals", "An opaque object type with a custom `__getattr__`."),
    "GB8843": _r("torch-internals", "An opaque object member returning a reference-type opaque object."),
    "GB8977": _r("rule-possible", "A `class` statement inside compiled code; reported for it on 2.13.0 and 2.14.1."),
    "GB8985": _r("rule-possible", "An intermediate made to require grad and returned (CA128)."),
    "GB9137": _r("runtime-type", "Subscripting a `typing` construct with a non-constant key."),
    "GB9158": _r("runtime-type", "A `torch._check*()` message function whose closure holds non-constant values."),
    "GB9186": _r("rule-possible", "`torch.autograd.grad` in compiled code (CA124)."),
    "GB9277": _r("runtime-type", "`function.__get__` on something that is not a user-defined function."),
    "GB9300": _r("rule-possible", "`dist.batch_isend_irecv` in compiled code (P2P compilation is off unless `TORCHDYNAMO_ENABLE_P2P_COMPILATION=1`)."),
    "GB9316": _r("runtime-type", "Comparing the `id()` or `hash()` of an object made inside compiled code."),
    "GB9458": _SLOT,
    "GB9522": _r("runtime-type", "`hasattr()` on an object type Dynamo does not support."),
    "GB9548": _SLOT,
    "GB9561": _SLOT,
    "GB9567": _r("torch-internals", "A descriptor type on an opaque class that Dynamo does not support."),
    "GB9625": _r("runtime-type", "Reading `tb_lasti` of a traceback object."),
    "GB9741": _r("torch-internals", "`torch.compile` entered inside a functorch transform context."),
    "GB9840": _r("runtime-type", "A `torch._check*()` message that is not a function defined in the compiled region."),
    "GB9860": _r("rule-possible", "Mutating a `torch.distributed.P2POp` in compiled code."),
    "GB9898": _r("bytecode", "A comprehension whose bytecode matches no pattern Dynamo's analysis knows."),
    # codes the newer release (2.14.1) adds
    "GB0375": _r("inputs", "A tensor carrying a forward-mode AD tangent (a dual tensor) passed in."),
    "GB0376": _r("rule-possible", "Calling `torch._dynamo.disable(fn)` inside compiled code: 2.14.1 reports GB0376 for `torch._dynamo.disable(f)(x)`, 2.13.0 GB0007."),
    "GB0377": _r("rule-possible", "Calling `torch.compiler.disable(fn)` inside compiled code: 2.14.1 reports GB0377 for `torch.compiler.disable(f)(x)`, 2.13.0 GB0007."),
    "GB0998": _r("torch-internals", "A copy-on-write state check on an intermediate tensor (torch-internal `_is_cow` checks)."),
    "GB1075": _UE,
    "GB1576": _r("torch-internals", "A copy-on-write state check on a Python tensor subclass."),
    "GB1824": _UE,
    "GB2069": _r("bytecode", "A comprehension whose result store Dynamo's analysis cannot identify."),
    "GB2444": _r("bytecode", "An inlined comprehension creating a cell whose name is also a free variable."),
    "GB2473": _r("earlier-break", "A break inside `torch.cuda.use_mem_pool`."),
    "GB2736": _r("runtime-type", "`isinstance(t, C)` where `C`'s metaclass defines `__instancecheck__`/`__subclasscheck__`."),
    "GB3069": _r("rule-possible", "Defining a custom op and its `register_fake` inside compiled code, then calling it."),
    "GB4234": _SLOT,
    "GB4307": _UE,
    "GB4774": _UE,
    "GB4818": _r("runtime-type", "Calling an object whose `__call__` Dynamo cannot trace."),
    "GB4996": _r("runtime-type", "`torch.cuda.use_mem_pool` with a device that is not a constant."),
    "GB5282": _r("torch-internals", "A copy-on-write state check after a mutation."),
    "GB5491": _r("runtime-type", "`t.data = other` across devices with other shapes or strides."),
    "GB5687": _r("rule-possible", "`min()`/`max()` with a `key=` that returns tensors (the 2.14.1 counterpart of GB0207)."),
    "GB5884": _UE,
    "GB6066": _r("runtime-type", "`ContextVar.get(default)` with a default that is not a constant."),
    "GB6183": _UE,
    "GB6815": _r("rule-possible", "`ContextVar.set()`/`reset()` in compiled code."),
    "GB7020": _r("config", "A copy-on-write state check under `torch.export`."),
    "GB7072": _UE,
    "GB7151": _r("runtime-type", "A generator whose function lives in a module Dynamo skips."),
    "GB7694": _UE,
    "GB7905": _r("torch-internals", "A copy-on-write state check on a FakeTensor."),
    "GB8165": _UE,
    "GB8206": _UE,
    "GB8587": _r("torch-internals", "A copy-on-write state check after an op that changes it."),
    "GB8593": _UE,
    "GB8949": _r("runtime-type", "A global write in an inlined function whose globals are not a module's `__dict__`."),
    "GB9192": _UE,
    "GB9203": _UE,
    "GB9493": _SLOT,
    "GB9509": _UE,
    "GB9760": _UE,
}


@dataclass(frozen=True)
class Row:
    code: Code
    status: str
    rules: tuple[str, ...]
    family: str | None
    note: str


def rules_by_code() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for rule in all_rules():
        for gb in rule.gb_codes:
            out.setdefault(gb, []).append(rule.code)
    return out


def user_triggerable(code: Code, covered: dict[str, list[str]]) -> bool:
    """Raised by the release's sources and not hinted as a Dynamo bug, or declared by a rule (a rule's
    proven example is user code that triggers it, whatever the hint says)."""
    return code.code in covered or (code.raised and not code.internal)


def rows(codes: dict[str, Code], covered: dict[str, list[str]]) -> list[Row]:
    out = []
    for key in sorted(codes):
        code = codes[key]
        if not user_triggerable(code, covered):
            continue
        family, note = REASONS.get(key, (None, ""))
        if key in covered:
            out.append(Row(code, COVERED, tuple(covered[key]), family, note))
        elif family is not None:
            out.append(Row(code, FAMILIES[family].status, (), family, note))
        else:
            out.append(Row(code, "", (), None, ""))  # no reason: tests/test_docs.py fails on these
    return out


def missing_reasons(snapshot: Snapshot | None = None) -> list[str]:
    """User-triggerable codes with neither a rule nor a reason (the page must have none)."""
    snapshot = snapshot or load()
    covered = rules_by_code()
    return [r.code.code for r in rows({**snapshot.codes, **snapshot.added}, covered) if not r.status]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _rule_links(rules: tuple[str, ...]) -> str:
    return ", ".join(f"[{code}](rules/{code}.md)" for code in rules)


def _hints(code: Code) -> str:
    return ", ".join(h.lower().replace("_", " ") for h in code.hints) or "-"


def recorded() -> dict[str, list[tuple[str, str]]]:
    """GB code -> (rule, torch) pairs: the proof records in which an INVALID example of the rule broke with it."""
    out: dict[str, list[tuple[str, str]]] = {}
    for record in records():
        if not record.primary:
            continue
        for key, result in record.examples.items():
            rule, kind, _ = key.split("/")
            if kind == "invalid" and result.get("gb"):
                out.setdefault(result["gb"], []).append((rule, record.torch))
    return out


def _evidence(row: Row, seen: dict[str, list[tuple[str, str]]]) -> str:
    releases = sorted({torch for rule, torch in seen.get(row.code.code, ()) if rule in row.rules})
    if releases:
        return "; an example breaks with it on torch " + ", ".join(releases)
    return "; no recorded example breaks with this code yet"


def _table(items: list[Row], seen: dict[str, list[tuple[str, str]]], gone: frozenset[str] = frozenset()) -> list[str]:
    lines = ["| Code | Dynamo's gb_type | Hint | Status | Rules, or why no rule |", "|---|---|---|---|---|"]
    for row in items:
        if row.status == COVERED:
            why = _rule_links(row.rules) + _evidence(row, seen)
        else:
            family = FAMILIES[row.family] if row.family else None
            why = (f"*{family.title}*" + (f": {row.note}" if row.note else "")) if family else "?"
        code = row.code.code + (" †" if row.code.code in gone else "")
        lines.append(f"| {code} | {_cell(row.code.gb_type)} | {_hints(row.code)} | {row.status} | {_cell(why)} |")
    return lines


def coverage_page(snapshot: Snapshot | None = None) -> str:
    snapshot = snapshot or load()
    covered = rules_by_code()
    main = rows(snapshot.codes, covered)
    added = rows(snapshot.added, covered)
    total = len(snapshot.codes)
    unraised = sorted(c for c, v in snapshot.codes.items() if not v.raised and c not in covered)
    internal = sorted(c for c, v in snapshot.codes.items() if v.raised and v.internal and c not in covered)
    internal_covered = sorted(c for c, v in snapshot.codes.items() if v.raised and v.internal and c in covered)
    seen = recorded()
    statuses = Counter(r.status for r in main)
    by_family = Counter(r.family for r in main if r.status != COVERED)
    n = len(main)

    def pct(k: int) -> str:
        return f"{k} ({100 * k / n:.0f}%)" if n else str(k)

    newer = snapshot.newer_torch
    lines = [
        "# Which graph breaks the static rules predict",
        "",
        f"Generated by `python -m compile_audit.maintain.docs` from the rules' declared Dynamo codes (`gb_codes`) and a "
        f"snapshot of the graph-break registry that ships with torch {snapshot.torch} "
        f"(`torch/_dynamo/graph_break_registry.json`), kept in `compile_audit/data/gb_registry.json` and written by "
        f"`python -m compile_audit.maintain.gb_registry --write --newer PYTHON` (it reads the installed torch's files, and "
        f"those of the newer torch of the interpreter given, without importing either). The reasons for the codes "
        f"no rule declares are a curated table in `compile_audit/maintain/coverage.py`.",
        "",
        "A code is **user-triggerable** when torch's own sources still raise it (a `gb_type=` string in torch "
        f"{snapshot.torch}'s Python files maps to it; the registry keeps every code ever assigned) and Dynamo's hint "
        "for it is not *This is likely to be a Dynamo bug* (`graph_break_hints.DYNAMO_BUG`); a code a rule declares "
        "counts whatever its hint says, since the rule's proven examples are user code that triggers it. "
        "At run time `--confirm` reports every break no rule predicted as CA902, whatever its code.",
        "",
        "## Summary",
        "",
        f"- Registry codes in torch {snapshot.torch}: {total}; raised by its sources: "
        f"{sum(1 for v in snapshot.codes.values() if v.raised)}; of those, hinted as Dynamo bugs: "
        f"{len(internal) + len(internal_covered)}"
        + (f" ({', '.join(internal_covered)} counted as user-triggerable: a rule's example reaches it)"
           if internal_covered else "") + ".",
        f"- **User-triggerable codes: {n}**",
        f"  - covered by a static rule: **{pct(statuses[COVERED])}**",
        f"  - not covered yet (a static rule is possible): **{pct(statuses[MISSING])}**",
        f"  - not statically detectable: **{pct(statuses[UNDETECTABLE])}**",
        f"  - out of scope (the code fails without compile too): **{pct(statuses[OUT_OF_SCOPE])}**",
        "",
        "| Family | Status | Codes | What it means |",
        "|---|---|---|---|",
        f"| Covered | {COVERED} | {statuses[COVERED]} | A rule declares the code in `gb_codes` and flags the pattern; "
        "the table says on which releases one of its INVALID examples broke with that code in the proof records "
        "(`compile_audit/proofs/`). |",
    ]
    for key, family in FAMILIES.items():
        lines.append(f"| {family.title} | {family.status} | {by_family[key]} | {family.text} |")
    if statuses[""]:
        lines.append(f"| (no reason yet) | - | {statuses['']} | Codes the curated table does not cover. |")
    lines += [
        "",
        "Covered means a rule predicts the code for the patterns it knows, not that every way of reaching the code "
        "is flagged (GB0007, *a skipped function*, is reached by many functions; the rules name the common ones).",
        "",
        f"## The user-triggerable codes of torch {snapshot.torch}",
        "",
        "*Hint*: the categories of `torch/_dynamo/graph_break_hints.py` among Dynamo's hints for the code (`-`: "
        "only hints written for that code). *Status*: covered; not covered yet (a static rule is possible); not "
        "statically detectable; out of scope (fails without compile too).",
        "",
        *_table(main, seen, frozenset(snapshot.newer_unraised) if newer else frozenset()),
    ]
    if newer and snapshot.newer_unraised:
        lines += ["", f"† torch {newer}'s sources no longer raise this code (its registry may still list it)."]
    if newer:
        removed = ", ".join(snapshot.removed) or "none"
        lines += [
            "",
            f"## Codes torch {newer} adds",
            "",
            f"torch {newer}'s registry has {len(snapshot.added)} codes that {snapshot.torch}'s does not (and drops "
            f"{removed}); {len(added)} of them are user-triggerable there. Codes {snapshot.torch} raises that "
            f"{newer}'s sources no longer raise: {', '.join(snapshot.newer_unraised) or 'none'}.",
            "",
            *_table(added, seen),
        ]
    lines += [
        "",
        "## Not in the table",
        "",
        f"- Hinted as Dynamo bugs ({len(internal)}): {', '.join(internal) or 'none'}.",
        f"- In torch {snapshot.torch}'s registry but raised by none of its sources ({len(unraised)}; retired code "
        f"paths, or a `gb_type` another code now owns): {', '.join(unraised) or 'none'}.",
    ]
    if snapshot.unregistered:
        lines.append(f"- Raised by torch {snapshot.torch} without a registry code (the error has no GB link): "
                     + "; ".join(f"*{g}*" for g in snapshot.unregistered) + ".")
    return "\n".join(lines) + "\n"
