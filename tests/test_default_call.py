"""Reports on unusual input (``compile_audit.analysis.default_call``): a log, warning or print in a
branch the default call does not take, or that only some inputs take, is not flagged; one the
default call takes is."""

import textwrap

import libcst as cst
import pytest

from compile_audit.analysis.default_call import DefaultCall, conditions, input_test
from compile_audit.lint.engine import lint_source
from compile_audit.lint.registry import all_rules

RULES = all_rules()

HEADER = """
import logging
import warnings

import torch

logger = logging.getLogger(__name__)


class Net(torch.nn.Module):
"""


def flagged(body: str) -> list[int]:
    """Lines (within ``body``) of the reporting rules' findings in ``Net.forward``."""
    source = HEADER.lstrip() + textwrap.indent(textwrap.dedent(body).strip() + "\n", "    ")
    offset = len(HEADER.lstrip().splitlines())
    findings = lint_source(source, "m.py", RULES).findings
    return sorted(f.span.line - offset for f in findings if f.code in ("CA105", "CA112", "CA113"))


@pytest.mark.parametrize("body", [
    # an optional argument left at None
    """
    def forward(self, x, scale=None):
        if scale is not None:
            logger.warning("scale is deprecated")
        return x
    """,
    # a flag left at False, also through `and`, and the else of `not (... or ...)`
    """
    def forward(self, x, output_attentions=False, use_cache=True):
        if output_attentions and use_cache:
            print("attentions are not returned")
        if not (output_attentions or use_cache is False):
            x = x + 1
        else:
            warnings.warn("not taken in the default call")
        return x
    """,
    # an argument rebound before the test: followed through the conditional expression
    """
    def forward(self, x, cross_attention_kwargs=None):
        cross_attention_kwargs = cross_attention_kwargs if cross_attention_kwargs is not None else {}
        if cross_attention_kwargs.get("scale", None) is not None:
            logger.warning("scale is ignored")
        return x
    """,
    # **kwargs are empty in the default call
    """
    def forward(self, x, **kwargs):
        if kwargs.get("output_attentions", False):
            logger.warning_once("not supported")
        if "legacy" in kwargs:
            warnings.warn("legacy is deprecated")
        return x
    """,
    # the structure of an input: a rank, a device held in a local, a length, isinstance
    """
    def forward(self, x, ids):
        if ids.ndim == 3:
            logger.warning("3-d ids are deprecated")
        device_type = x.device.type
        if device_type == "mps":
            logger.warning("slow on mps")
        unused = [k for k in ("a", "b") if k != "a"]
        if len(unused) > 0:
            logger.warning("unused")
        if isinstance(ids, list) and len(ids) > 1:
            logger.warning("batched ids")
        return x
    """,
    # the else of `input_ids is not None` when the default call (both inputs None) would fail
    # earlier: a real call gives the first input tested
    """
    def __init__(self, pad_token_id=None):
        super().__init__()
        self.pad_token_id = pad_token_id

    def forward(self, input_ids=None, inputs_embeds=None):
        if input_ids is not None:
            batch_size = input_ids.shape[0]
        else:
            batch_size = inputs_embeds.shape[0]
        if self.pad_token_id is None:
            last = -1
        elif input_ids is not None:
            last = (input_ids != self.pad_token_id).sum(-1)
        else:
            last = -1
            logger.warning_once("padding tokens are not detected in inputs_embeds")
        return batch_size, last
    """,
    # the else of a test of the first input: a call gives it
    """
    def forward(self, input_ids=None, inputs_embeds=None):
        if input_ids is not None:
            x = input_ids * 2
        else:
            logger.warning_once("padding tokens are not detected in inputs_embeds")
            x = inputs_embeds
        return x
    """,
    # in the else of a structure test
    """
    def forward(self, x):
        if isinstance(x, torch.Tensor):
            return x
        else:
            warnings.warn("x is not a tensor")
        return x
    """,
])
def test_reports_on_unusual_input_are_not_flagged(body):
    assert flagged(body) == []


@pytest.mark.parametrize("body, lines", [
    # the default call takes it (rwkv's `if attention_mask is None:`)
    ("""
    def forward(self, x, attention_mask=None):
        if attention_mask is None:
            logger.warning_once("attention_mask is unused")
        return x
    """, [3]),
    # object state: the default call may well take it (gradient checkpointing in training)
    ("""
    def __init__(self, gradient_checkpointing=False):
        super().__init__()
        self.gradient_checkpointing = gradient_checkpointing
        self.use_cache = True

    def forward(self, x, use_cache=None):
        use_cache = use_cache if use_cache is not None else self.use_cache
        if self.gradient_checkpointing and self.training and use_cache:
            logger.warning_once("use_cache is incompatible with gradient checkpointing")
        return x
    """, [9]),
    # the elif the default call reaches: the branch before it rebinds the argument, but is not taken
    ("""
    def forward(self, x, past=None, use_cache=None):
        use_cache = use_cache if use_cache is not None else self.use_cache
        if use_cache or past is not None:
            if isinstance(past, dict) and not isinstance(past, list):
                past = list(past)
            elif not isinstance(past, list):
                logger.warning_once("a tuple of past is deprecated")
        return x
    """, [7]),
    # a dtype test: autocast and half precision take it in normal use
    ("""
    def forward(self, x):
        y = x * 2
        if y.dtype == torch.bfloat16:
            print("bfloat16")
        return y
    """, [4]),
    # a structure test of the object's own state is not an input
    ("""
    def forward(self, x):
        if len(self.layers) > 4:
            print("deep")
        return x
    """, [3]),
    # an argument changed in a loop is not at its default any more
    ("""
    def forward(self, x, scale=None):
        for layer in self.layers:
            scale = layer.scale
        if scale is not None:
            warnings.warn("scaled")
        return x
    """, [5]),
])
def test_reports_on_the_default_path_are_flagged(body, lines):
    assert flagged(body) == lines


def _test(source: str):
    func = cst.parse_module(textwrap.dedent(source)).body[0]
    branch = next(s for s in func.body.body if isinstance(s, cst.If))
    return DefaultCall(func, branch), branch.test


def test_default_call_values():
    default, test = _test("""
        def f(x, a=None, b=False, c=3, *args, **kw):
            d = {} if a is None else a
            if a is None and not b and c == 3 and len(kw) == 0 and not d:
                pass
        """)
    assert default.truth(test) is True
    assert [holds for _, holds in conditions(test, True)] == [True, False, True, True, False]
    assert [holds for _, holds in conditions(test, False)] == [False]
    default, test = _test("""
        def f(x, a=None):
            a = compute(x)
            if a is None:
                pass
        """)
    assert default.truth(test) is None


def test_input_tests():
    parse = cst.parse_expression
    assert input_test(parse("x.shape[0] > 2"))
    assert input_test(parse("isinstance(past, tuple)"))
    assert input_test(parse("any(s % 8 for s in sample.shape[-2:])"))
    assert input_test(parse("dt == torch.float32"), {"dt"})
    assert not input_test(parse("self.x.ndim == 2"))
    assert not input_test(parse("use_cache and self.training"))

