"""The rule contract: metadata as data, a matcher as visit_* methods, examples beside them.

A rule is one small class in one module under ``rules/`` (installed as
``compile_audit.rules``). Like Fixit, it carries its VALID and INVALID examples; the tests and
the ``docs/rules/`` pages are generated from them, and the dynamic layer can run them. Like
ruff, its documentation has What it does / Why it breaks the graph (or why it matters) / Example /
Use instead / Fix safety. The engine calls the ``visit_<Node>``/``leave_<Node>`` methods of every enabled
rule in one traversal of the file; a rule whose ``scope`` is ``"compiled"`` (the default) is
only called inside code that ``torch.compile`` will trace (see ``compile_audit.analysis.scope``).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, Optional

import libcst as cst

from compile_audit.core.findings import Finding, Severity, Span
from compile_audit.core.versions import version_matches

from compile_audit.analysis.lattice import Value
from compile_audit.lint.edits import Edit


@dataclass(frozen=True)
class Example:
    """A complete module. INVALID examples name the 1-based ``line`` of the expected finding.

    ``target`` is a Python expression evaluated in the example module's namespace (with
    ``Target`` available) that gives an audit target, ``(fn, args)`` or ``Target(...)``: the
    proof test compiles it and checks the rule's claim (see ``Rule.proof``). Examples without
    a target are static-only (precision examples: code outside compiled scope, for instance).
    """

    code: str
    line: Optional[int] = None
    target: Optional[str] = None
    #: the module after ``--fix --unsafe-fixes`` with only this rule (INVALID examples of rules with fixes)
    fixed: Optional[str] = None
    #: the torch releases on which this INVALID example breaks as its rule says (a specifier such
    #: as ``"<2.14"``; None: wherever the rule applies). On a release outside it Dynamo traces the
    #: pattern: the example must compile whole there and the rule must not flag it.
    torch: Optional[str] = None
    #: for a rule whose fix is ``sometimes-safe``: whether this example's fix is the safe kind (its
    #: page shows one of each; ``tests/test_fixes.py`` checks the claim against the linter)
    fix_safe: Optional[bool] = None

    def applies_to_torch(self, version: Optional[str]) -> bool:
        return self.torch is None or version is None or version_matches(version, self.torch)

    @property
    def fixed_source(self) -> Optional[str]:
        return None if self.fixed is None else textwrap.dedent(self.fixed).lstrip("\n")

    @property
    def source(self) -> str:
        return textwrap.dedent(self.code).lstrip("\n")


def Valid(code: str, target: Optional[str] = None) -> Example:  # noqa: N802 - reads like Fixit's Valid(...)
    return Example(code, None, target)


def Invalid(  # noqa: N802
    code: str, line: Optional[int] = None, target: Optional[str] = None, fixed: Optional[str] = None,
    torch: Optional[str] = None, fix_safe: Optional[bool] = None,
) -> Example:
    return Example(code, line, target, fixed, torch, fix_safe)


#: What an INVALID example's target does on the torch versions the rule applies to, and what
#: the proof test checks: "fullgraph" breaks under fullgraph=True (and by default) at the
#: example's line; "default" breaks only in default mode (fullgraph=True captures it);
#: "recompile" compiles but recompiles on the target's second call; "eager" fails even
#: without torch.compile (FlexAttention mods); "none" compiles whole (the finding is about dead
#: code, wrong results or performance, not a break). VALID examples with a target always compile
#: whole without recompiling. A rule whose ``proof`` is None makes no claim its examples could
#: prove (the tool's own findings, CA9xx): it has no example with a target.
PROOFS = ("fullgraph", "default", "recompile", "eager", "none")

#: The fixes a rule attaches to its findings (``Rule.fix``): "none"; "safe" (``--fix`` applies
#: them); "unsafe" (only with ``--unsafe-fixes`` too); "sometimes-safe" (safe for some findings,
#: unsafe for others). A finding whose code the rule cannot rewrite carries no fix whatever the
#: rule's kind; ``Rule.fix_safety`` says when a fix is offered and why it is (un)safe.
FIXES = ("none", "safe", "unsafe", "sometimes-safe")
FixKind = Literal["none", "safe", "unsafe", "sometimes-safe"]


@dataclass(frozen=True)
class Run:
    """A real run of the tool that reports a dynamic-only rule (which has no INVALID example to
    show): the files it was given, the command (arguments of ``compile-audit``, run in the folder
    of the files), and what it printed on stdout on torch ``torch``. The rule's page shows it; a
    test runs it again and compares (the timings aside)."""

    files: tuple[tuple[str, str], ...]
    args: tuple[str, ...]
    output: str
    torch: str

    @property
    def command(self) -> str:
        return " ".join(("compile-audit", *self.args))

    def sources(self) -> list[tuple[str, str]]:
        return [(name, textwrap.dedent(code).lstrip("\n")) for name, code in self.files]

    @property
    def text(self) -> str:
        return textwrap.dedent(self.output).strip("\n") + "\n"


class Rule:
    """Base class of every rule. Subclasses set the class attributes and visit_* methods."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = "error"
    #: ``str.format`` template; ``report(node, **fields)`` fills it.
    message: ClassVar[str]
    #: What it does (one paragraph).
    what: ClassVar[str]
    #: Why it breaks the graph, fails, or matters (the heading on the page follows ``proof``).
    why: ClassVar[str]
    #: The fixes the rule attaches to its findings (one of FIXES), as its code builds them.
    fix: ClassVar[FixKind] = "none"
    #: When a fix is offered and why it is safe or unsafe (prose for the rule's page).
    fix_safety: ClassVar[str] = "No automatic fix is offered."
    #: Dynamo's registry codes (``torch/_dynamo/graph_break_registry.json``).
    gb_codes: ClassVar[tuple[str, ...]] = ()
    #: The torch releases the rule applies to, as a specifier such as ``">=2.5"``.
    torch_versions: ClassVar[str] = ">=2.5"
    #: What Dynamo does with the pattern and why (a sentence for the rule's page; the per-release
    #: behaviour comes from the proof records, ``compile_audit.proofs``).
    verdict: ClassVar[str] = ""
    #: What INVALID examples do under Dynamo (one of PROOFS; None: no claim to prove).
    proof: ClassVar[Optional[str]] = "fullgraph"
    #: The Dynamo setting under which the pattern is captured instead of breaking the graph
    #: (``capture_scalar_outputs``): a project that turns it on (``torch._dynamo.config.X =
    #: True``, ``config.patch(X=True)``) gets no finding of the rule.
    captured_by: ClassVar[Optional[str]] = None
    #: The rule flags calls that only report (a log, a warning, a print): not in a branch that
    #: only unusual input takes (``compile_audit.analysis.default_call``), which reports on the
    #: caller's input rather than running on the compiled default path.
    reports_on_input: ClassVar[bool] = False
    #: "compiled": only inside traced code; "module": everywhere in the file.
    scope: ClassVar[Literal["compiled", "module"]] = "compiled"
    #: A rule of the "module" scope that can fire only in a file whose text matches this regular
    #: expression (the names of the calls it is about, as any import of them spells them). A file
    #: with no compiled code and no match of its rules' expressions is not parsed by libcst at
    #: all (``compile_audit.analysis.scope.may_hold_compiled_code``). None: any file.
    requires_text: ClassVar[Optional[str]] = None
    #: Reported by the dynamic layer only (no matcher, no INVALID examples).
    dynamic_only: ClassVar[bool] = False
    #: The tool's own finding (a file that does not parse, a break no rule predicted, a target
    #: that failed): always reported, as ruff reports syntax errors whatever is selected, unless
    #: ignored by its exact code.
    own: ClassVar[bool] = False
    VALID: ClassVar[list[Example]] = []
    INVALID: ClassVar[list[Example]] = []
    #: A dynamic-only rule's finding, as a real run of the tool reported it.
    EXAMPLE_RUN: ClassVar[Optional[Run]] = None

    def __init__(self, context: Any) -> None:
        #: the ``compile_audit.lint.context.FileContext`` of the file (built on this module, so
        #: not named here: the rule contract sits below the context the engine builds)
        self.context = context
        self._belief: Optional[Value] = None

    def report(
        self,
        node: cst.CSTNode,
        message: Optional[str] = None,
        *,
        fix: Optional[Edit] = None,
        evidence: Optional[Value] = None,
        **fields: object,
    ) -> None:
        """Report a finding at ``node``; ``fix`` is the codemod that removes it, if any;
        ``evidence`` the value the finding rests on (its belief is added to the message)."""
        if self.reports_on_input and self.context.unusual_input():
            self._belief = None
            return
        text = message if message is not None else self.message.format(**fields)
        if evidence is None:
            evidence = self._belief
        self._belief = None
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and "\n" in self.source(node.func):
            # a method call whose receiver spans lines (`torch.nonzero(m)[\n 0\n].tolist()`):
            # Python (3.11+), and so Dynamo, places the call at the line of the method's name
            node = node.func.attr
        self.context.report(self, node, text, fix, evidence)

    def tensor(self, expr: cst.BaseExpression) -> bool:
        """Whether the value model believes ``expr`` holds a Tensor here. A belief is kept as the
        evidence of the next ``report`` (its message says what was believed and why)."""
        value = self.context.tensor(expr)
        if value is not None:
            self._belief = value
        return value is not None

    # -- helpers for matchers ------------------------------------------------------------
    def on_torch(self, spec: str) -> bool:
        """Whether the torch release the findings are for is in ``spec`` (``"<2.14"``): for the
        parts of a pattern that Dynamo learned to trace in some release."""
        return version_matches(self.context.torch_release, spec)

    def qualified_name(self, node: cst.BaseExpression) -> Optional[str]:
        return self.context.qualified_name(node)

    def source(self, node: cst.CSTNode) -> str:
        return self.context.module.code_for_node(node)

    @classmethod
    def finding(cls, path: str, line: int, column: int, message: str, **fields: Any) -> Finding:
        """A finding of this rule made outside a file's walk (a parse error, a dynamic verdict):
        the rule's code, name and severity, a one-character span at ``line``:``column``."""
        return Finding(code=cls.code, name=cls.name, severity=cls.severity, path=path,
                       span=Span(line, column, line, column + 1), message=message, **fields)

    # -- selection helpers -------------------------------------------------------------
    @classmethod
    def applies_to_torch(cls, version: Optional[str]) -> bool:
        """True when the rule applies to the given torch version (unknown: always)."""
        if version is None:
            return True
        return version_matches(version, cls.torch_versions)


class CallRule(Rule):
    """A rule that flags calls by qualified name: ``CALLS`` exact names, ``PREFIXES``
    whole modules (``"time."``). ``message`` may use ``{name}`` (the name as written) and
    ``{qualified}``."""

    CALLS: ClassVar[frozenset[str]] = frozenset()
    PREFIXES: ClassVar[tuple[str, ...]] = ()

    def matches(self, qualified: str, node: cst.Call) -> bool:
        return qualified in self.CALLS or qualified.startswith(self.PREFIXES)

    def visit_Call(self, node: cst.Call) -> None:
        qualified = self.qualified_name(node.func)
        if qualified is not None and self.matches(qualified, node):
            self.report(node, name=self.source(node.func), qualified=qualified)


class TensorMethodRule(Rule):
    """A rule that flags method calls (``x.item()``) by name. With ``TENSOR_RECEIVER`` the
    receiver must be a known tensor; ``ARGS`` (when not None) is the exact number of
    positional arguments the call must have. ``message`` may use ``{method}`` and
    ``{receiver}``."""

    METHODS: ClassVar[frozenset[str]] = frozenset()
    TENSOR_RECEIVER: ClassVar[bool] = False
    ARGS: ClassVar[Optional[int]] = None

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in self.METHODS:
            return
        if self.ARGS is not None and len(node.args) != self.ARGS:
            return
        if self.TENSOR_RECEIVER and not self.tensor(func.value):
            return
        self.report(node, method=func.attr.value, receiver=self.source(func.value))
