"""The rule of scope and the name resolution rules rely on (docs/scope.md)."""

import textwrap

import libcst as cst
import pytest

from compile_audit.lint.engine import lint_source
from compile_audit.lint.registry import all_rules
from compile_audit.analysis.scope import CompiledScope

RULES = all_rules()


def compiled(source):
    scope = CompiledScope(cst.parse_module(textwrap.dedent(source)))
    return {f.qualname: f.compiled_reason for f in scope.functions.values() if f.is_compiled}


def flagged(source):
    return [(f.code, f.span.line) for f in lint_source(textwrap.dedent(source).lstrip(), "m.py", RULES).findings]


def test_entry_points_and_what_they_call():
    names = compiled(
        """
        import torch
        from torch import nn as tnn

        def helper(x):
            return inner(x)

        def inner(x):
            return x

        def unused(x):
            return x

        class Base(tnn.Module):
            pass

        class Net(Base):
            def __init__(self):
                super().__init__()
                self.setup()

            def setup(self):
                pass

            def forward(self, x):
                return self.step(helper(x))

            def step(self, x):
                def nested(y):
                    return y
                return nested(x)

        @torch.compile(fullgraph=True)
        def decorated(x):
            return x

        def passed(x):
            return x

        compiled_fn = torch.compile(passed)

        @torch.compiler.disable
        def eager_only(x):
            print(x)
        """
    )
    assert set(names) == {
        "helper", "inner", "Net.forward", "Net.step", "Net.step.<locals>.nested", "decorated", "passed",
    }
    assert names["Net.forward"] == "forward of nn.Module subclass Net"
    assert names["helper"] == "called from Net.forward (compiled)"


def test_flex_attention_mods_are_compiled_through_aliases_and_factories():
    names = compiled(
        """
        from torch.nn.attention.flex_attention import flex_attention as fa, create_block_mask as cbm, and_masks

        def causal(b, h, q, kv):
            return q >= kv

        def make_doc_mask(ids):
            def doc_mask(b, h, q, kv):
                return ids[q] == ids[kv]
            return doc_mask

        def bias(score, b, h, q, kv):
            return score

        def build(ids, n):
            mod = and_masks(causal, make_doc_mask(ids))
            return cbm(mod, None, None, n, n)

        def run(q, k, v):
            return fa(q, k, v, bias)
        """
    )
    assert {"causal", "make_doc_mask.<locals>.doc_mask", "bias"} <= set(names)
    assert "build" not in names and "run" not in names


def test_patched_forward_is_compiled():
    names = compiled(
        """
        import torch

        def patched_forward(self, x):
            return x

        SomeAttention.forward = patched_forward
        """
    )
    assert "patched_forward" in names


@pytest.mark.parametrize(
    "imports,call",
    [
        ("import torch.nn.functional as F", "F.softmax(x, -1)"),
        ("from torch.nn import functional", "functional.softmax(x, -1)"),
        ("import torch", "torch.nn.functional.softmax(x, -1)"),
        ("from torch.nn.attention.flex_attention import flex_attention as fa", "fa(x, x, x)"),
        ("import torch.nn.attention.flex_attention as flex", "flex.flex_attention(x, x, x)"),
    ],
)
def test_tensor_results_resolve_through_aliases(imports, call):
    source = f"""
        import torch
        {imports}

        @torch.compile
        def f(x):
            y = {call}
            if y.sum() > 0:
                return y
            return -y
        """
    assert flagged(source) == [("CA104", 7)]


def test_rules_do_not_fire_outside_compiled_code_or_in_eager_branches():
    source = """
        import torch

        class Net(torch.nn.Module):
            def __init__(self):
                super().__init__()
                print("init")

            def forward(self, x):
                if torch.compiler.is_compiling():
                    y = x
                else:
                    print("eager only")
                if not torch.compiler.is_compiling():
                    print(x.sum().item())
                return x

        def train(model, x):
            out = model(x)
            print(out.sum().item())
            if out.sum() > 0:
                pass
        """
    assert flagged(source) == []


def test_shadowed_builtins_are_not_builtins():
    source = """
        import torch

        def print(*args):
            pass

        class Net(torch.nn.Module):
            def forward(self, x):
                print(x)
                return x
        """
    assert flagged(source) == []


def test_near_misses_stay_quiet():
    from conftest import ROOT

    path = ROOT / "tests" / "data" / "near_misses.py"
    result = lint_source(path.read_bytes(), "near_misses.py", RULES)
    assert result.findings == []


def test_rule_gating_by_torch_version(monkeypatch):
    from dataclasses import replace

    from compile_audit.core.config import Settings
    from compile_audit.lint import registry, session

    narrowed = tuple(replace(i, torch_versions="<2.0") if i.code == "CA105" else i for i in registry.catalog())
    monkeypatch.setattr(session, "catalog", lambda: narrowed)
    assert "CA105" not in session.RuleSet(Settings(), "2.13.0").codes
    assert "CA105" in session.RuleSet(Settings(), "1.13.1").codes
    assert "CA105" in session.RuleSet(Settings(), None).codes  # torch not installed: every rule applies


# -- reach: what compiled code runs besides the functions it calls by name (issue 16) ----------


def test_callables_held_in_self_attributes_are_compiled():
    names = compiled(
        """
        import functools
        import torch
        from torch import nn

        def l2_penalty(w):
            return w

        def make_activation(limit):
            def clipped(x):
                return x
            return clipped

        def swish(x):
            return x

        def soft_cap(x, cap):
            return x

        def unused(x):
            return x

        ACT2FN = {"swish": swish}

        class Net(nn.Module):
            def __init__(self, act: str = "swish"):
                super().__init__()
                self.penalty_fn = l2_penalty
                self.act = make_activation(6.0)
                self.table_act = ACT2FN[act]
                self.cap_fn = functools.partial(soft_cap, cap=30.0)
                self.spare = unused

            def forward(self, x):
                return self.cap_fn(self.table_act(self.act(x))) + self.penalty_fn(x)
        """
    )
    assert {"l2_penalty", "make_activation.<locals>.clipped", "swish", "soft_cap"} <= set(names)
    assert "unused" not in names  # held, but never called from compiled code
    assert "make_activation" not in names  # the factory runs in __init__


def test_callables_passed_to_calls_properties_apply_hooks_and_context_managers_are_compiled():
    names = compiled(
        """
        import torch
        from torch import nn

        def per_sample(v):
            return v

        def check_inputs(module, args):
            return None

        class Clip(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x

        class Timer:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

        class Net(nn.Module):
            def _ffn(self, x):
                return x

            @property
            def temperature(self):
                return 1.0

            def helper_never_used(self):
                return 0

            def forward(self, x):
                with Timer():
                    x = torch.utils.checkpoint.checkpoint(self._ffn, x, use_reentrant=False)
                return Clip.apply(torch.func.vmap(per_sample)(x)) / self.temperature

        net = Net()
        net.register_forward_pre_hook(check_inputs)
        """
    )
    assert {"per_sample", "Net._ffn", "Net.temperature", "Clip.forward", "Timer.__enter__", "Timer.__exit__",
            "check_inputs"} <= set(names)
    assert "Net.helper_never_used" not in names


def test_classes_built_in_factories_and_decorator_wrappers_are_compiled():
    names = compiled(
        """
        import functools
        import torch
        from torch import nn

        def validate(fn):
            @functools.wraps(fn)
            def wrapper(self, x):
                return fn(self, x)
            return wrapper

        def make_block(dim):
            class Block(nn.Module):
                @validate
                def forward(self, x):
                    return x
            return Block()

        model = torch.compile(make_block(8))
        """
    )
    assert "make_block.<locals>.Block.forward" in names or "Block.forward" in names
    assert "validate.<locals>.wrapper" in names
    assert "make_block" not in names  # torch.compile(make_block(8)) compiles the result, not the factory


def test_a_lambda_held_in_an_attribute_is_checked_as_compiled_code():
    assert flagged(
        """
        import torch
        from torch import nn

        class Gated(nn.Module):
            def __init__(self):
                super().__init__()
                self.gate = lambda t: t.mean().item() > 0
                self.unused = lambda t: t.mean().item()

            def forward(self, x):
                return x if self.gate(x) else -x
        """
    ) == [("CA102", 7)]


def test_a_flexattention_block_built_by_a_factory_is_compiled_explicitly():
    # the report behind issue 16: a class defined inside a factory function, compiled through it
    found = flagged(
        """
        import torch
        from torch import nn
        from torch.nn.attention.flex_attention import flex_attention

        def build_block(dim: int = 64, heads: int = 4):
            class FlexBlock(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.qkv = nn.Linear(dim, 3 * dim)

                @torch._dynamo.disable
                def log_stats(self, t):
                    return t.mean()

                def forward(self, x):
                    b, n, _ = x.shape
                    q, k, v = self.qkv(x).view(b, n, 3, heads, -1).permute(2, 0, 3, 1, 4)
                    attn_out = flex_attention(q, k, v)
                    if isinstance(attn_out, tuple):
                        attn_out = attn_out[0]
                    self.log_stats(attn_out)
                    return attn_out.transpose(1, 2).reshape(b, n, -1)

            return FlexBlock()

        model = torch.compile(build_block())
        """
    )
    assert found == [("CA101", 19), ("CA127", 21)]  # and no CA207: the factory's result is compiled


def test_a_lazy_cache_fill_is_one_shot_setup():
    assert flagged(
        """
        import torch
        from torch import nn

        _TABLE = None

        def build_table(x):
            return x.tolist()

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self._norm = None

            def forward(self, x):
                global _TABLE
                if _TABLE is None:
                    _TABLE = build_table(x)
                if self._norm is None:
                    self._norm = float(x.norm())
                if x.sum() is None:  # not a cache fill: the test is checked
                    x = x.tolist()
                return x
        """
    ) == [("CA103", 21)]


def test_a_memo_fill_and_a_handler_of_runtime_tensor_errors_run_eagerly():
    assert flagged(
        """
        import os
        import warnings

        import torch
        from torch import nn

        _EXT = None

        def build_extension():
            os.environ["CC"] = "gcc"
            return object()

        def get_extension():
            global _EXT
            if _EXT is not None:
                return _EXT
            warnings.warn("building the extension")
            _EXT = build_extension()
            return _EXT

        class Net(nn.Module):
            def forward(self, x):
                ext = get_extension()
                try:
                    _, _, v = torch.linalg.svd(x)
                except RuntimeError:
                    warnings.warn("SVD did not converge")
                    return x
                except KeyError:
                    warnings.warn("traced: a Python error Dynamo can raise while tracing")
                return v
        """
    ) == [("CA113", 30)]
