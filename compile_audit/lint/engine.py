"""Parse once, walk once: one file in, its findings out.

The walk dispatches every node to the ``visit_<Node>``/``leave_<Node>`` methods of all enabled
rules (as libcst's batched visitors do), keeping track of the enclosing function and of the
eager-only branches of ``if torch.compiler.is_compiling()`` so that compiled-scope rules are
only called where Dynamo traces. Positions are computed only for files that have findings.
"""

from __future__ import annotations

import ast
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence, Union

import libcst as cst

from compile_audit.lint import suppressions
from compile_audit.lint.positions import Positions
from compile_audit.lint.context import FileContext
from compile_audit.core.findings import FileError, Finding, Fix, Span
from compile_audit.analysis.project import ProjectIndex
from compile_audit.lint.rule import Rule
from compile_audit.core.source import SourceError, decode
from compile_audit.analysis.evidence import describe
from compile_audit.analysis.scope import CompiledScope, may_hold_compiled_code
from compile_audit.analysis.values import ValueModel
from compile_audit.core.torch_release import default_release
from compile_audit.analysis.walk import Visitor, walk

PARSE_ERROR_CODE = "CA901"
#: the two shortcuts that leave out work no rule could use: files with no compiled code and no
#: subject of a module-scope rule are not parsed by libcst, and the walk does not enter
#: definitions that lead to no compiled code (off only in tests/test_shortcuts.py, which checks
#: that they change no finding)
SHORTCUTS = True
#: the interpreter whose parser judged the file, named in syntax-error messages
_PYTHON = f"Python {sys.version_info.major}.{sys.version_info.minor}"


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    error: Optional[FileError] = None
    #: line -> source text, for the lines findings point at (code frames)
    lines: dict[int, str] = field(default_factory=dict)
    #: the parsed module (its nodes are the ones fixes refer to); None when it did not parse
    module: Optional[cst.Module] = None
    text: Optional[str] = None


class _Walker(Visitor):
    def __init__(self, context: FileContext, rules: Sequence[Rule]) -> None:
        self.context = context
        self.visits: dict[str, list[tuple[Callable, bool]]] = defaultdict(list)
        self.leaves: dict[str, list[tuple[Callable, bool]]] = defaultdict(list)
        for rule in rules:
            compiled_only = rule.scope == "compiled"
            for attr in _visitor_methods(type(rule)):
                table = self.visits if attr.startswith("visit_") else self.leaves
                table[attr.split("_", 1)[1]].append((getattr(rule, attr), compiled_only))
        self._eager: dict[cst.If, Optional[str]] = {}
        self._dead: set[cst.CSTNode] = set()
        #: every rule is of the "compiled" scope: outside compiled code, only the definitions
        #: that lead to compiled code are entered (the rest could call no rule)
        self._leads = (context.scope.leads_to_compiled()
                       if SHORTCUTS and all(r.scope == "compiled" for r in rules) else None)

    def on_visit(self, node: cst.CSTNode) -> bool:
        context = self.context
        context.ancestors.append(node)
        context.enter(node)
        kind = type(node)
        if (self._leads is not None and not context.in_compiled
                and ((kind is cst.FunctionDef or kind is cst.ClassDef) and id(node) not in self._leads
                     or kind is cst.SimpleStatementLine and context.current_function is None)):
            return False  # no compiled code inside: skipped whole (on_leave still runs)
        if context.in_compiled and (
            # statements Dynamo never traces: unreachable ones, raising an error, a memo's fill
            # and a handler of run-time tensor errors (they run eagerly)
            node in context.scope.eager_nodes
            or (_statement_kind(kind) and (kind is cst.Raise or not context.reachable()))
        ):
            self._dead.add(node)
            context.enter_eager()
        for method, compiled_only in self.visits.get(type(node).__name__, ()):
            if not compiled_only or context.in_compiled:
                method(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        context = self.context
        for method, compiled_only in self.leaves.get(type(original_node).__name__, ()):
            if not compiled_only or context.in_compiled:
                method(original_node)
        if original_node in self._dead:
            context.leave_eager()
        context.leave(original_node)
        context.ancestors.pop()

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        if isinstance(node, cst.If):
            if node not in self._eager:
                self._eager[node] = self.context.eager_branch(node)
            if self._eager[node] == attribute or self.context.error_branch(node, attribute):
                self.context.enter_eager()
        elif isinstance(node, (cst.For, cst.While)) and attribute == "orelse" and self.context.error_branch(node, attribute):
            self.context.enter_eager()
        elif self._skipped_operand(node, attribute):
            self.context.enter_eager()

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        if isinstance(original_node, cst.If) and (
            self._eager.get(original_node) == attribute or self.context.error_branch(original_node, attribute)
        ):
            self.context.leave_eager()
        elif (isinstance(original_node, (cst.For, cst.While)) and attribute == "orelse"
              and self.context.error_branch(original_node, attribute)):
            self.context.leave_eager()
        elif self._skipped_operand(original_node, attribute):
            self.context.leave_eager()

    def _skipped_operand(self, node: cst.CSTNode, attribute: str) -> bool:
        """The operand Dynamo never evaluates: an assert's message (built only when it fails),
        the right of ``not is_compiling() and X`` /
        ``is_compiling() or X`` (short-circuit), the branch of ``X if is_compiling() else Y``
        that the test rules out."""
        if isinstance(node, cst.Assert) and attribute == "msg":
            return True  # `assert ok, f"... {t}"`: the message is built only when the assert fails
        if isinstance(node, cst.BooleanOperation) and attribute == "right":
            left = self.context.under_dynamo(node.left)
            return left is (isinstance(node.operator, cst.Or))
        if isinstance(node, cst.IfExp) and attribute in ("body", "orelse"):
            value = self.context.under_dynamo(node.test)
            return value is not None and (value is (attribute == "orelse"))
        return False


_METHODS: dict[type, tuple[str, ...]] = {}
_STATEMENT_KINDS: dict[type, bool] = {}


def _may_fire(rule: type[Rule], text: str) -> bool:
    """Whether the file's text has what the rule is about (``Rule.requires_text``)."""
    return rule.requires_text is None or re.search(rule.requires_text, text) is not None


def _statement_kind(kind: type) -> bool:
    """A statement line, a compound statement or a ``raise`` (cached per class: isinstance
    against libcst's abstract classes is slow on every node)."""
    found = _STATEMENT_KINDS.get(kind)
    if found is None:
        found = _STATEMENT_KINDS[kind] = issubclass(kind, (cst.SimpleStatementLine, cst.BaseCompoundStatement, cst.Raise))
    return found


def _visitor_methods(rule_class: type) -> tuple[str, ...]:
    if rule_class not in _METHODS:
        _METHODS[rule_class] = tuple(
            name for name in dir(rule_class) if name.startswith(("visit_", "leave_")) and callable(getattr(rule_class, name))
        )
    return _METHODS[rule_class]


def _parse_error_finding(path: str, message: str, line: int, column: int, parse_rule: type[Rule]) -> Finding:
    return parse_rule.finding(path, line, column, message)


def lint_source(
    data: Union[bytes, str],
    path: str,
    rules: Sequence[type[Rule]],
    project=None,
    module_name: Optional[tuple[str, bool]] = None,
    torch_types=None,
    python: Optional[tuple[int, int]] = None,
    parsed: bool = False,
    words: Optional[str] = None,
) -> FileResult:
    """Lint one file's content. ``path`` is the display path; ``rules`` the enabled rules
    (CA901 is reported when enabled and the file cannot be parsed); ``project`` the index of
    the whole scan (``compile_audit.analysis.project``) and ``module_name`` this file's module in it;
    ``torch_types`` the return-type table of the torch release the findings are for; ``parsed``:
    this interpreter's parser already accepted these very bytes (the project index parsed them);
    ``words``: the identifiers of their code that can make compiled code (``traced.code_words``),
    read instead of the text, whose comments and docstrings say ``compile`` too."""
    result = FileResult(path)
    parse_rule = next((r for r in rules if r.code == PARSE_ERROR_CODE), None)
    try:
        text = decode(data).text if isinstance(data, bytes) else data
    except SourceError as exc:
        if parse_rule:
            result.findings.append(_parse_error_finding(path, exc.message, exc.line, exc.column, parse_rule))
        return result
    # CPython's parser first: an order of magnitude faster than libcst, authoritative for the
    # running interpreter, and guarded against pathological nesting that can overflow the C
    # stack of libcst's native parser. A file it rejects is CA901 with its message.
    running = sys.version_info[:2]
    # one CPython parse, with the grammar of the project's oldest Python when that is older than
    # this one (requires-python): an error only that grammar raises names it
    older = python if python is not None and python < running else None
    problem = None if parsed and older is None else _cpython_syntax_error(text, older)
    module = None
    if problem is not None and python is not None and python <= running and (
            python < running or _newer_syntax(problem[0], text)):
        # syntax the project's oldest Python rejects: a finding on every interpreter
        message, line, column = problem
        if "requires-python" not in message:
            message = f"{message} (the project supports Python {python[0]}.{python[1]}, requires-python)"
        problem = (message, line, column)
        if parse_rule:
            result.findings.append(_parse_error_finding(path, problem[0], line, column, parse_rule))
            result.lines.update(_window(text, line))
        return result
    if problem is not None and _newer_syntax(problem[0], text):
        # Valid Python for a newer interpreter (PEP 701 f-strings on 3.11, say) may still be
        # something libcst parses: scan it then; otherwise report what this Python rejected.
        try:
            module = cst.parse_module(text)
        except (cst.ParserSyntaxError, RecursionError):
            module = None
    if problem is not None and module is None:
        if parse_rule:
            message, line, column = problem
            if python is not None and python > running:
                message = (f"{message}: the project requires Python {python[0]}.{python[1]}, this tool runs on "
                           f"{running[0]}.{running[1]}; run compile-audit under Python {python[0]}.{python[1]} "
                           f"to analyse the file")
            result.findings.append(_parse_error_finding(path, message, line, column, parse_rule))
            result.lines.update(_window(text, line))
        return result
    if "torch" not in text and not (project is not None and module_name is not None
                                    and _touched_by_project(project, module_name[0])):
        # Cheap prefilter (as TorchFix does): every rule is about torch, and without the word
        # nothing resolves to it, so no rule can fire -- unless compiled code of another file
        # calls this one's functions (a ``utils.py`` that never imports torch), or the file's
        # classes are modules through a base class another file defines.
        return result
    code = words if words is not None else text  # what the code says, where the index read it
    if (SHORTCUTS and module is None and project is not None and module_name is not None
            and not may_hold_compiled_code(text, project, module_name[0], words)
            and not any(r.scope == "module" and _visitor_methods(r) and _may_fire(r, code) for r in rules)):
        # No compiled code (decided from the text and the project index) and no rule that reports
        # outside compiled code has its subject here: the libcst parse would find nothing.
        return result
    if module is None:
        try:
            module = cst.parse_module(text)
        except cst.ParserSyntaxError as exc:
            if parse_rule:
                message, line, column = _syntax_error(text, exc)
                result.findings.append(_parse_error_finding(path, message, line, column, parse_rule))
                result.lines.update(_window(text, line))
            return result
        except RecursionError:
            if parse_rule:
                result.findings.append(_parse_error_finding(path, "too deeply nested to parse", 1, 1, parse_rule))
            return result

    result.module, result.text = module, text
    active = [r for r in rules if _visitor_methods(r)]  # CA9xx rules have no matcher
    if not active:
        return result
    if project is None:
        # a file linted alone is a project of one file (what its own classes store is known)
        project, module_name = ProjectIndex.of_source(text, path)
    # the project's own Dynamo settings decide which claims hold: with `capture_scalar_outputs`
    # on, `.item()` is captured, not a break (``Rule.captured_by``)
    active = [r for r in active if not (r.captured_by and project.dynamo_config.get(r.captured_by) is True)
              and _may_fire(r, code)]
    try:
        scope = CompiledScope(module, path, project, module_name)
        release = torch_types.release if torch_types is not None and torch_types.release else default_release()
        context = FileContext(path, module, scope, ValueModel(scope, torch_types), release, python)
        instances = [rule(context) for rule in active]
        if not context.scope.compiled_functions() and all(r.scope == "compiled" for r in instances):
            return result
        walk(module, _Walker(context, instances))
    except RecursionError:
        if parse_rule:
            result.findings.append(
                _parse_error_finding(path, "nested too deeply to analyse (Python's recursion limit)", 1, 1, parse_rule)
            )
        return result
    if not context.reports:
        return result

    try:
        positions = Positions(module, text, context.tops)
        for _, node, _, _, _, _ in context.reports:
            positions[node]  # noqa: B018 - resolve now, inside the RecursionError guard
    except RecursionError:
        if parse_rule:
            result.findings.append(
                _parse_error_finding(path, "nested too deeply to analyse (Python's recursion limit)", 1, 1, parse_rule)
            )
        return result
    noqa = suppressions.parse(text)
    source_lines = text.splitlines()
    seen: set[tuple] = set()
    for rule, node, message, edit, evidence, impact in context.reports:
        where = positions[node]
        belief = None
        if evidence is not None:
            belief = describe(evidence, positions, where.start.line)
            message = f"{message} ({belief})"
        span = Span(where.start.line, where.start.column + 1, where.end.line, where.end.column + 1)
        key = (rule.code, span)
        if key in seen or noqa.suppresses(rule.code, span.line):
            continue
        seen.add(key)
        result.findings.append(
            Finding(
                code=rule.code,
                name=rule.name,
                severity=rule.severity,
                path=path,
                span=span,
                message=message,
                gb_code=_gb_code(rule, message),
                fix=Fix(safe=edit.safe) if edit is not None else None,
                evidence=belief,
                edit=edit,
                impact=impact,
            )
        )
        for number in range(max(1, span.line - 1), min(len(source_lines), span.end_line + 1) + 1):
            result.lines[number] = source_lines[number - 1]
    result.findings.sort(key=Finding.sort_key)
    return result


def _newer_syntax(message: str, text: str) -> bool:
    """Whether a file this Python rejects may be valid for a newer one (PEP 701 f-strings,
    PEP 695 generics) and is safe to hand to libcst's native parser (no deep nesting, which
    could overflow its stack)."""
    reason = message.split(": ", 1)[-1]
    if not (reason.startswith("f-string") or reason in ("invalid syntax", "expected ':'", "expected '('")):
        return False
    depth = deepest = 0
    for ch in text:
        if ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]}":
            depth -= 1
    return deepest < 64


def _cpython_syntax_error(text: str, older: Optional[tuple[int, int]] = None):
    """CPython's syntax error for the file, or None; with ``older`` (the project's oldest Python,
    older than this one) the parse uses that grammar (``feature_version``, best effort), and an
    error only it raises says so."""
    try:
        if older is None:
            compile(text, "<scanned>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
        else:
            ast.parse(text, feature_version=older)
    except SyntaxError as exc:
        if older is not None and _cpython_syntax_error(text) is None:
            return (f"SyntaxError (Python {older[0]}.{older[1]}, the project's requires-python): {exc.msg}",
                    exc.lineno or 1, exc.offset or 1)
        return f"SyntaxError ({_PYTHON}): {exc.msg}", exc.lineno or 1, exc.offset or 1
    except (ValueError, MemoryError):
        return f"SyntaxError ({_PYTHON}): source cannot be compiled", 1, 1
    except RecursionError:
        return "nested too deeply to parse (Python's recursion limit)", 1, 1
    return None


def _syntax_error(text: str, exc: cst.ParserSyntaxError) -> tuple[str, int, int]:
    """CPython's message and position when it rejects the file too (they are clearer than
    libcst's); libcst's own when only libcst does (syntax newer than libcst knows)."""
    try:
        compile(text, "<scanned>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as py_exc:
        return f"SyntaxError ({_PYTHON}): {py_exc.msg}", py_exc.lineno or 1, py_exc.offset or 1
    except (ValueError, RecursionError, MemoryError):
        pass
    reason = exc.message.splitlines()[0] if exc.message else "cannot parse"
    return f"SyntaxError (libcst {cst.__name__ and _libcst_version()}): {reason}", exc.raw_line, exc.raw_column + 1


def _libcst_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("libcst")
    except metadata.PackageNotFoundError:  # pragma: no cover
        return "?"


def _window(text: str, line: int) -> dict[int, str]:
    lines = text.splitlines()
    return {n: lines[n - 1] for n in range(max(1, line - 1), min(len(lines), line + 1) + 1)}


def _touched_by_project(project, module: str) -> bool:
    """Whether other files make this module's code torch code: compiled code calls into it,
    another file compiles one of its functions (``torch.compile(helper)``, an audit target, the
    pytest fixture's ``check``), or a class of it is an ``nn.Module`` through a base class
    defined elsewhere."""
    if project.reaches_module(module):
        return True
    modules = getattr(project, "_module_class_modules", None)
    if modules is None:
        modules = {name.rsplit(".", 1)[0] for name in project.classes if project.is_module_class(name)}
        for name in project.compiled:
            parts = name.split(".")
            modules.update(".".join(parts[:n]) for n in range(1, len(parts)))
        project._module_class_modules = modules
    return module in modules


def _gb_code(rule, message: str) -> Optional[str]:
    """The registry code of this finding: the first of the rule's codes its message names (a
    rule that covers several Dynamo paths says which one this is), else the rule's first."""
    return next((code for code in rule.gb_codes if code in message), rule.gb_codes[0] if rule.gb_codes else None)
