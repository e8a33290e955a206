from compile_audit.lint.rule import CallRule, Invalid, Valid


class WarningsWarn(CallRule):
    code = "CA113"
    reports_on_input = True
    name = "warnings-warn"
    severity = "error"
    CALLS = frozenset({"warnings.warn", "warnings.warn_explicit"})
    message = "`{name}()` in compiled code: Dynamo treats `warnings` as untraceable and breaks the graph (GB0007)"
    what = (
        "Flags `warnings.warn(...)` and `warnings.warn_explicit(...)` inside compiled code. A warning "
        "in a branch that only unusual input takes (one the default call, with optional arguments "
        "at their defaults and no `**kwargs`, does not take, or one taken only for inputs of some "
        "shape, rank or type) is not flagged: it warns the caller about their call."
    )
    why = (
        "The `warnings` machinery inspects the caller's frame and a global registry: Dynamo marks it "
        "as skipped and breaks the graph on every call that reaches it (GB0007), even when the "
        "warning is filtered out."
    )
    fix_safety = "No automatic fix: warn once at construction time, or guard with `torch.compiler.is_compiling()`."
    gb_codes = ("GB0007",)
    verdict = "torch 2.13: breaks in every mode (GB0007)."
    VALID = [
        Valid(
            """
            import warnings

            import torch

            class Detector(torch.nn.Module):
                def forward(self, images, targets=None):
                    if torch.jit.is_scripting():  # never true under Dynamo
                        warnings.warn("RCNN always returns a (Losses, Detections) tuple in scripting")
                    return images
            """,
            target='Detector(), (torch.randn(2),)',
        ),
        Valid(
            """
            import warnings

            import torch

            class Net(torch.nn.Module):
                def __init__(self, dim: int):
                    super().__init__()
                    if dim > 1024:
                        warnings.warn("large dim")
                    self.dim = dim

                def forward(self, x):
                    return x * self.dim
            """,
            target="Net(4), (torch.ones(2),)",
        ),
        Valid(
            """
            import warnings

            import torch

            @torch.compile
            def step(x):
                if not torch.compiler.is_compiling():
                    warnings.warn("eager step")
                return x + 1
            """,
            target="step, (torch.ones(2),)",
        ),
        Valid(
            """
            import warnings

            import torch

            class Adapter(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.delta = torch.nn.Parameter(torch.zeros(4))
                    self.merged_adapters = []
                    self.disabled = False

                @property
                def merged(self):
                    return bool(self.merged_adapters)

                def unmerge(self):
                    # runs once, when a merged layer is first used with adapters off
                    while self.merged_adapters:
                        self.merged_adapters.pop()
                        warnings.warn("unmerging may lose precision")

                def forward(self, x):
                    if self.disabled:
                        if self.merged:
                            self.unmerge()
                        return x
                    return x + self.delta
            """,
            target="Adapter(), (torch.ones(4),)",
        ),
        Valid(
            """
            import warnings

            import torch

            class Layer(torch.nn.Module):
                def __init__(self):
                    super().__init__()
                    self.names = ["a", "b"]

                def forward(self, x):
                    for name in self.names:
                        if name == "b":
                            break
                    else:  # the search did not find it: should not happen
                        warnings.warn("no 'b' layer")
                    return x * 2
            """,
            target="Layer(), (torch.ones(2),)",
        ),
        Valid(
            """
            import warnings

            import torch


            def _warn_eps():
                warnings.warn("`eps` is deprecated and ignored", DeprecationWarning)


            def smooth(x, eps=None):
                if eps is not None:
                    _warn_eps()  # only reached when a caller passes the deprecated argument
                return x.softmax(-1)


            class Head(torch.nn.Module):
                def forward(self, x):
                    return smooth(x)  # never passes the deprecated argument
            """,
            target="Head(), (torch.randn(4),)",
        ),
        Valid(
            """
            import warnings

            import torch

            class Head(torch.nn.Module):
                def forward(self, x, labels=None, **kwargs):
                    if kwargs:
                        warnings.warn(f"unused arguments {sorted(kwargs)}")
                    if labels is not None and labels.dtype != torch.long:
                        warnings.warn("labels are cast to long")
                    return x.sum(-1)
            """,
            target="Head(), (torch.ones(2, 3),)",
        ),
    ]
    INVALID = [
        Invalid(
            """
            import warnings

            import torch

            class Net(torch.nn.Module):
                def forward(self, x):
                    warnings.warn("deprecated path")
                    return x + 1
            """,
            line=7,
            target="Net(), (torch.ones(2),)",
        ),
        Invalid(
            """
            import torch
            from warnings import warn

            @torch.compile
            def step(x):
                warn("careful")
                return x + 1
            """,
            line=6,
            target="step, (torch.ones(2),)",
        ),
    ]
