"""The value model (compile_audit.analysis.values): what each name holds where a rule looks at it."""

import textwrap

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from compile_audit.analysis.scope import CompiledScope
from compile_audit.analysis.values import ValueModel
from compile_audit.lint.engine import lint_source
from compile_audit.lint.registry import all_rules

RULES = all_rules()


def value_at(source: str, name: str, line: int):
    """The value of ``name`` as the statement at ``line`` sees it."""
    module = cst.parse_module(textwrap.dedent(source).lstrip())
    scope = CompiledScope(module, "m.py")
    values = ValueModel(scope)
    positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    for func in scope.functions.values():
        flow = values.flow(func)
        for node in flow.before:
            where = positions.get(node)
            if where is not None and where.start.line == line and not isinstance(node, cst.BaseSmallStatement):
                return values.value(cst.Name(name), func, [func.node, node])
    raise AssertionError(f"no statement at line {line}")


def findings(source: str):
    return lint_source(textwrap.dedent(source).lstrip(), "m.py", RULES).findings


FLOW = """
    import torch

    class M(torch.nn.Module):
        causal = False

        def forward(self, x, flag=None):
            a = x.ne(0)
            y = a
            flag = default(flag, self.causal)
            n = x.shape[0]
            a = n * 2
            return y, flag, a

    def default(value, fallback):
        return value if value is not None else fallback
"""


def test_reaching_definitions_not_every_assignment():
    assert value_at(FLOW, "a", 8).kind == "tensor"  # a = x.ne(0) reaches `y = a`
    assert value_at(FLOW, "a", 12).kind == "number"  # rebound to an int before the return


def test_unannotated_parameter_rebound_from_a_call_is_no_longer_assumed_a_tensor():
    assert value_at(FLOW, "flag", 8).is_tensor and value_at(FLOW, "flag", 8).assumed
    assert value_at(FLOW, "flag", 10).kind == "unknown"


def test_shapes_and_lengths_are_numbers():
    assert value_at(FLOW, "n", 11).kind == "number"


def test_tensor_evidence_names_the_assignment():
    value = value_at(FLOW, "y", 9)
    assert value.is_tensor and value.subject == "y" and "assigned `a`" in value.why


ANNOTATIONS = """
    from typing import Optional, Union
    import torch
    from torch import Tensor

    def f(d: dict[str, Tensor], xs: list[Tensor], m: Optional[Tensor] = None, u: Union[Tensor, int] = 0, s: "torch.Tensor" = None):
        for key in d:
            pass
        for key2, val in d.items():
            pass
        first = xs[0]
        return m, u, s
"""


@pytest.mark.parametrize(
    "name,line,kind",
    [
        ("d", 6, "container"),  # a dict of tensors is not a tensor
        ("key", 7, "str"),  # its keys are strings
        ("key2", 9, "str"),
        ("val", 9, "tensor"),  # its values are tensors
        ("first", 11, "tensor"),
        ("m", 11, "tensor"),  # Optional[Tensor]
        ("u", 11, "unknown"),  # Union[Tensor, int]: either
        ("s", 11, "tensor"),  # a string annotation
    ],
)
def test_annotations_are_read_properly(name, line, kind):
    assert value_at(ANNOTATIONS, name, line).kind == kind


NARROWING = """
    import torch

    class M(torch.nn.Module):
        def forward(self, x, mask=None, scale=None):
            if isinstance(scale, int):
                pass
            if mask is None:
                return x
            y = mask
            return y
"""


def test_isinstance_narrows_and_is_none_ends_a_path():
    assert value_at(NARROWING, "scale", 6).kind == "number"
    assert value_at(NARROWING, "mask", 8).kind == "none"
    value = value_at(NARROWING, "mask", 9)
    assert value.is_tensor and not value.optional


def test_joins_of_a_tensor_and_a_python_number_are_unknown():
    source = """
        import torch

        def f(x: torch.Tensor, c: bool):
            total = 0
            if c:
                total = x.sum()
            return total
    """
    assert value_at(source, "total", 7).kind == "unknown"


def test_return_types_of_the_files_own_functions():
    source = """
        import torch

        def ones(n: int) -> torch.Tensor:
            return torch.ones(n)

        def count(x):
            return len(x)

        def pair(x: torch.Tensor):
            return x.sum(), x.shape[0]

        def use(x: torch.Tensor):
            a = ones(3)
            b = count(x)
            c, d = pair(x)
            return a, b, c, d
    """
    kinds = [value_at(source, n, 16).kind for n in "abcd"]
    assert kinds == ["tensor", "number", "tensor", "number"]


def test_torch_return_types_come_from_the_generated_table():
    source = """
        import torch

        def f(x: torch.Tensor):
            a = torch.max(x)
            b = torch.max(x, 1)
            c = x.size()
            d = x.size(0)
            e = x.nonzero()
            g = x.nonzero(as_tuple=True)
            h = torch.is_tensor(x)
            return a
    """
    kinds = {n: value_at(source, n, 11).kind for n in "abcdegh"}
    assert kinds == {"a": "tensor", "b": "container", "c": "shape", "d": "number", "e": "tensor",
                     "g": "container", "h": "number"}


def test_a_local_named_like_a_builtin_is_the_local():
    source = """
        import torch

        def f(input: torch.Tensor):
            n = input.size(2)
            return n
    """
    assert value_at(source, "n", 5).kind == "number"


def test_finding_message_says_what_it_believes_and_why():
    (finding,) = findings(
        """
        import torch

        class M(torch.nn.Module):
            def forward(self, x):
                mask = x.ne(0)
                y = x * 2
                if mask.any():
                    y = y + 1
                return y
        """
    )
    assert finding.code == "CA104"
    assert "(`mask` holds a Tensor: assigned `x.ne(0)` at line 5)" in finding.message


def test_ca101_describes_the_assignment_that_reaches_the_check():
    result = findings(
        """
        import torch
        import torch.nn.functional as F

        class M(torch.nn.Module):
            def forward(self, x, out=None):
                if isinstance(out, tuple):  # before the tensor assignment: an input
                    out = out[0]
                out = F.relu(x)
                if isinstance(out, tuple):
                    out = out[0]
                return out
        """
    )
    assert [(f.code, f.line) for f in result] == [("CA101", 9)]
    assert "assigned `F.relu(x)` at line 8" in result[0].message


def test_what_a_caller_tested_of_the_objects_state_reaches_the_method_it_calls():
    source = """
        import warnings
        import torch

        class Layer(torch.nn.Module):
            def unmerge(self):
                if not self.merged:
                    warnings.warn("Already unmerged. Nothing to do.")
                    return
                self.merged = False

            def forward(self, x):
                if self.merged:
                    self.unmerge()
                return x
    """
    assert findings(source) == []
    # called without the guard from another compiled path: the warning is reachable
    unguarded = source.replace("                return x", "                self.unmerge()\n                return x")
    assert [f.code for f in findings(unguarded)] == ["CA113"]


def test_flags_every_compiled_caller_leaves_at_a_constant_prune_their_branches():
    source = """
        import torch

        class Layer(torch.nn.Module):
            def merge(self, safe_merge: bool = False):
                w = self.weight.detach().clone()
                if safe_merge:
                    if not torch.isfinite(w).all():
                        raise ValueError("NaNs in the merged weights")
                self.weight.data = w

            def forward(self, x):
                self.merge()
                return x
    """
    assert findings(source) == []
    assert [f.code for f in findings(source.replace("self.merge()", "self.merge(safe_merge=True)"))] == ["CA104"]


def test_parameters_passed_where_torch_takes_a_number_are_numbers():
    source = """
        import torch

        class Alibi(torch.nn.Module):
            def forward(self, i, j):
                if self.bias.shape[-1] >= j and self.bias.shape[-2] >= i:
                    return self.bias[..., -i:, -j:]
                return torch.arange(j - i, j)
    """
    assert findings(source) == []
    assert value_at(source, "i", 5).kind == "number"


# -- type knowledge for recall (issue 16) ------------------------------------------------------


@pytest.mark.parametrize(
    "source,line",
    [
        (  # an accumulator that becomes a tensor (`aux = 0.0; aux += t`)
            """
            import torch
            from torch import nn

            class M(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.layers = nn.ModuleList(nn.Linear(4, 4) for _ in range(2))

                def forward(self, x):
                    aux = 0.0
                    for layer in self.layers:
                        aux += torch.tanh(layer(x)).mean()
                    if aux > 1:
                        x = x * 2
                    return x
            """,
            13,
        ),
        (  # a tensor passed through **kwargs
            """
            import torch
            from torch import nn

            class M(nn.Module):
                def _attend(self, q, **kwargs):
                    mask = kwargs.get("attention_mask")
                    if mask is not None and mask.all():
                        return q
                    return q * 2

                def forward(self, x, attention_mask):
                    return self._attend(x, attention_mask=attention_mask)
            """,
            7,
        ),
        (  # torch functions held in an attribute and in a module-level name
            """
            import torch
            from torch import nn

            _reduce = torch.sum

            class M(nn.Module):
                def __init__(self, mode: str = "max"):
                    super().__init__()
                    self.reduce_fn = torch.amax if mode == "max" else torch.mean

                def forward(self, x):
                    pooled = self.reduce_fn(x, dim=1) + _reduce(x)
                    if pooled.max() > 1:
                        return pooled / 2
                    return pooled
            """,
            13,
        ),
        (  # a layer's weight, and the values of a (values, indices) result
            """
            import torch
            from torch import nn

            class M(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.fc = nn.Linear(4, 4)

                def forward(self, x):
                    top = x.max(dim=-1).values
                    if (top > 0.9).all() and self.fc.weight.sum() > 0:
                        return x
                    return -x
            """,
            11,
        ),
    ],
)
def test_values_that_become_tensors_through_indirection(source, line):
    assert ("CA104", line) in [(f.code, f.span.line) for f in findings(source)]


def test_a_number_that_is_never_added_a_tensor_stays_a_number():
    assert [f.code for f in findings(
        """
        import torch

        @torch.compile
        def f(x, n: int):
            total = 0
            for i in range(n):
                total += i
            if total > 3:
                return x
            return -x
        """
    )] == []


def test_what_every_compiled_caller_passes_beats_a_wrong_annotation():
    assert [f.code for f in findings(
        """
        import torch
        from torch import nn

        def seq2img(x, shape: torch.Tensor):
            if isinstance(shape, tuple):
                return x.reshape(shape)
            elif isinstance(shape, torch.Tensor):
                return x.reshape(int(shape[0]), -1)
            return x

        class Net(nn.Module):
            def forward(self, x):
                return seq2img(x, x.shape)
        """
    )] == []
