from typing import Optional

import libcst as cst

from compile_audit.analysis.names import dotted_name
from compile_audit.lint.rule import Invalid, Rule, Valid
from compile_audit.analysis.held import self_assignments
from compile_audit.analysis.walk import children

#: the layers Dynamo refuses to wrap (``isinstance(value, (RNN, GRU, LSTM))``: subclasses too);
#: the cells (``LSTMCell``, ``GRUCell``, ``RNNCell``) are traced
RNN_CLASSES = frozenset(
    {
        "torch.nn.LSTM", "torch.nn.GRU", "torch.nn.RNN",
        "torch.nn.modules.rnn.LSTM", "torch.nn.modules.rnn.GRU", "torch.nn.modules.rnn.RNN",
    }
)


class RnnModule(Rule):
    code = "CA137"
    name = "rnn-module"
    severity = "error"
    captured_by = "allow_rnn"
    message = (
        "`self.{attr}` is a `{layer}` in compiled code: Dynamo does not trace RNN, GRU or LSTM layers "
        "and breaks the graph where it first reaches one, running the rest of the function eagerly (GB0014)"
    )
    what = (
        "Flags the first use, on each path through a compiled function, of an attribute that holds an "
        "`nn.LSTM`, `nn.GRU` or `nn.RNN` (or a subclass defined in the file): every assignment of "
        "`self.<attr>` in the class builds one. `nn.LSTMCell`, `nn.GRUCell` and `nn.RNNCell` are not "
        "flagged: Dynamo traces them."
    )
    why = (
        "Dynamo refuses to wrap `nn.RNN`, `nn.GRU` and `nn.LSTM` modules (GB0014) unless "
        "`torch._dynamo.config.allow_rnn` is set: any use of the layer, calling it or reading one of "
        "its attributes, breaks the graph. The break cannot be resumed from: in default mode Dynamo "
        "compiles the code before it and runs the rest of the function eagerly, so only the first "
        "use is a break."
    )
    fix_safety = (
        "No automatic fix: run the recurrent layer outside the compiled region (compile the parts "
        "around it), write the recurrence with `nn.LSTMCell`/`nn.GRUCell` over the time steps, or "
        "opt in to Dynamo's experimental support with `torch._dynamo.config.allow_rnn = True`."
    )
    gb_codes = ("GB0014",)
    verdict = (
        "Breaks in every mode (GB0014), on CPU, at the first use of the layer in the function; the "
        "cells compile. Files that set `torch._dynamo.config.allow_rnn = True` are not flagged."
    )
    VALID = [
        Valid(
            """
            import torch
            from torch import nn

            class Tagger(nn.Module):
                def __init__(self, dim: int = 8):
                    super().__init__()
                    self.cell = nn.LSTMCell(dim, dim)
                    self.out = nn.Linear(dim, 3)

                def forward(self, x):
                    h = c = torch.zeros(x.shape[0], x.shape[2])
                    for t in range(x.shape[1]):
                        h, c = self.cell(x[:, t], (h, c))
                    return self.out(h)
            """,
            target="Tagger(), (torch.randn(2, 5, 8),)",
        ),
        Valid(
            """
            import torch
            from torch import nn

            class Encoder(nn.Module):
                def __init__(self, dim: int = 8, recurrent: bool = False):
                    super().__init__()
                    self.proj = nn.Linear(dim, dim)
                    self.gru = nn.GRU(dim, dim, batch_first=True) if recurrent else None

                def forward(self, x):
                    x = self.proj(x)
                    if self.gru is not None:  # an option the compiled configurations leave off
                        x, _ = self.gru(x)
                    return x.mean(1)
            """,
            target="Encoder(), (torch.randn(2, 5, 8),)",
        ),
        Valid(
            """
            import torch
            from torch import nn

            torch._dynamo.config.allow_rnn = True  # Dynamo's experimental RNN support

            class Tagger(nn.Module):
                def __init__(self, dim: int = 8):
                    super().__init__()
                    self.lstm = nn.LSTM(dim, dim, batch_first=True)

                def forward(self, x):
                    h, _ = self.lstm(x)
                    return h
            """,
        ),
    ]
    INVALID = [
        Invalid(
            """
            import torch
            from torch import nn

            class Tagger(nn.Module):
                def __init__(self, dim: int = 8):
                    super().__init__()
                    self.lstm = nn.LSTM(dim, dim, batch_first=True)
                    self.out = nn.Linear(dim, 3)

                def forward(self, x):
                    h, _ = self.lstm(x)
                    return self.out(h)
            """,
            line=11,
            target="Tagger(), (torch.randn(2, 5, 8),)",
        ),
        Invalid(
            """
            import torch
            from torch import nn

            class Encoder(nn.Module):
                def __init__(self, dim: int = 8):
                    super().__init__()
                    self.proj = nn.Linear(dim, dim)
                    self.gru = nn.GRU(dim, dim, batch_first=True)

                def forward(self, x):
                    out, last = self.gru(self.proj(x))
                    return last.squeeze(0)
            """,
            line=11,
            target="Encoder(), (torch.randn(2, 5, 8),)",
        ),
        Invalid(
            """
            import torch
            from torch import nn

            class Speech(nn.Module):
                def __init__(self, dim: int = 8):
                    super().__init__()
                    self.proj = nn.Linear(dim, dim)
                    self.rnn = nn.RNN(dim, dim, batch_first=True)

                def forward(self, x):
                    h = self.proj(x)
                    width = self.rnn.hidden_size
                    out, _ = self.rnn(h)
                    return out[..., :width]
            """,
            line=12,
            target="Speech(), (torch.randn(2, 5, 8),)",
        ),
        Invalid(
            """
            import torch
            from torch import nn

            class BiLSTM(nn.LSTM):
                def __init__(self, dim: int):
                    super().__init__(dim, dim, batch_first=True, bidirectional=True)

            class Tagger(nn.Module):
                def __init__(self, dim: int = 8):
                    super().__init__()
                    self.encoder = BiLSTM(dim)

                def forward(self, x):
                    if self.encoder is not None:
                        x, _ = self.encoder(x)
                    return x.relu()
            """,
            line=14,
            target="Tagger(), (torch.randn(2, 5, 8),)",
        ),
    ]

    def __init__(self, context) -> None:
        super().__init__(context)
        #: function -> the blocks of the uses already flagged in it (what they dominate)
        self._flagged: dict = {}
        self._layers: dict = {}
        self._allowed: Optional[bool] = None

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if not (isinstance(node.value, cst.Name) and node.value.value == "self"):
            return
        ancestors = self.context.ancestors
        parent = ancestors[-2] if len(ancestors) > 1 else None
        if isinstance(parent, (cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.Del)) and getattr(
                parent, "target", None) is node:
            return
        func = self.context.current_function
        if func is None:
            return
        cls = func.cls or self.context.scope.enclosing_class(func)
        if cls is None:
            return
        layer = self._rnn_layer(cls, node.attr.value)
        if layer is None or self._rnn_allowed():
            return
        blocks = self._flagged.setdefault(func, [])
        if any(any(a is block for a in ancestors) for block in blocks):
            return  # a use before this one, on every path here, already broke the graph
        blocks.append(_statement_block(ancestors))
        self.report(node, attr=node.attr.value, layer=layer)

    def _rnn_layer(self, cls, attr: str) -> Optional[str]:
        key = (cls.name, attr)
        if key not in self._layers:
            values = self_assignments(self.context.scope, cls, attr)
            layers = [self._rnn_class(v) for v in values]
            self._layers[key] = layers[0] if layers and all(layer is not None for layer in layers) and len(
                set(layers)) == 1 else None
        return self._layers[key]

    def _rnn_class(self, value: Optional[cst.BaseExpression], depth: int = 0) -> Optional[str]:
        """The torch.nn class (``torch.nn.LSTM``) a constructor call builds, through in-file subclasses."""
        if not isinstance(value, cst.Call) or depth > 8:
            return None
        return self._rnn_base(value.func, depth)

    def _rnn_base(self, expr: cst.BaseExpression, depth: int) -> Optional[str]:
        qualified = self.qualified_name(expr)
        if qualified in RNN_CLASSES:
            return "torch.nn." + qualified.rsplit(".", 1)[1]
        name = dotted_name(expr)
        classes = self.context.scope.classes
        if name in classes and depth < 8:
            for base in classes[name].base_exprs:
                found = self._rnn_base(base, depth + 1)
                if found is not None:
                    return found
        return None

    def _rnn_allowed(self) -> bool:
        """The file opts in to Dynamo's RNN support (``torch._dynamo.config.allow_rnn = True``,
        ``config.patch(allow_rnn=True)``)."""
        if self._allowed is None:
            self._allowed = False
            stack: list = [self.context.module]
            while stack:
                node = stack.pop()
                if isinstance(node, cst.Arg) and node.keyword is not None and node.keyword.value == "allow_rnn":
                    self._allowed = True
                    break
                if isinstance(node, cst.AssignTarget) and isinstance(node.target, cst.Attribute) and (
                        node.target.attr.value == "allow_rnn"):
                    self._allowed = True
                    break
                stack.extend(children(node))
        return self._allowed


def _statement_block(ancestors: list) -> Optional[cst.CSTNode]:
    """The block holding the innermost statement around the node being visited."""
    for index in range(len(ancestors) - 1, 0, -1):
        node = ancestors[index]
        if isinstance(node, cst.SimpleStatementSuite):
            return node
        if isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            return ancestors[index - 1]
    return None
