"""``compile-audit server``: the static layer as a Language Server over stdio (pygls, the
``lsp`` extra).

What an editor gets:

* **diagnostics** when a Python file opens, changes (debounced) and is saved, each with its rule
  code linking to the rule's page, and the status a stored verdict file gives it (refuted
  findings are shown as hints, as the command line shows them without failing);
* **code actions**: the finding's fix (labelled safe or unsafe as ``--fix``/``--unsafe-fixes``
  label them), "suppress with ``# noqa: CAxxx``", and ``source.fixAll`` for the safe fixes;
* **hover** on a finding: the rule's what, why, and what to use instead.

The project's ``[tool.compile-audit]`` settings (``select``/``ignore``, ``per-file-ignores``,
``severity``, exclusions, the verdict file) come from the workspace's ``pyproject.toml`` and are
read again when it changes. The project-wide knowledge the rules need (what compiles what, see
``compile_audit.analysis.project``) is built once from the workspace, from the scan cache where it is
warm, and kept per file: an edit recomputes only the edited file's part (CPython's ``ast``, not
libcst), and the index is reassembled only when that part changed.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Optional
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from compile_audit import __version__

from compile_audit.core import config
from compile_audit.core.findings import Finding
from compile_audit.lint import suppressions
from compile_audit.lint.session import Session
from compile_audit.report.rule_page import DOCS_URL

#: seconds between the last change of a document and its re-lint (``initializationOptions``
#: ``{"debounce": ms}`` changes it)
DEBOUNCE = 0.15
SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
            "info": types.DiagnosticSeverity.Information}
SOURCE = "compile-audit"


def path_of(uri: str) -> Path:
    parsed = urlparse(uri)
    return Path(unquote(parsed.path))


class Project:
    """The workspace as the static layer sees it: settings, rules, and the project index kept
    per file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.session: Optional[Session] = None
        self.load()

    def load(self) -> None:
        """(Re)read the settings and (re)build the index from the workspace's files."""
        settings = config.load(None, self.root)
        self.session = Session(settings, self.root, [self.root])
        self.session.index()
        self.verdicts = self._verdicts()

    @property
    def settings(self):
        return self.session.settings

    @property
    def index(self):
        return self.session.project

    def _verdicts(self):
        from compile_audit.core import verdicts

        path = self.settings.path(self.settings.verdicts or verdicts.DEFAULT_FILE)
        try:
            return verdicts.load(path) if path.exists() else None
        except verdicts.VerdictError:
            return None

    def update(self, path: Path, text: str) -> bool:
        """A file's new text (an editor buffer, or the file saved): the index follows it.
        Whether what the project knows changed (other files' findings may change with it)."""
        return self.session.update(path, text)

    def excluded(self, path: Path) -> bool:
        return self.session.excluded(path)

    def lint(self, path: Path, text: str):
        """The findings of ``text`` as the file ``path``, and the lint result (its parsed module
        and edits, for the code actions)."""
        if self.excluded(path):
            return [], None
        result = self.session.lint_buffer(path, text)
        findings = result.findings
        if self.verdicts is not None:
            from compile_audit.core import verdicts

            sources = {self.session.display(path): dict(enumerate(text.splitlines(), 1))}
            findings = verdicts.apply(findings, sources, self.verdicts, "verdicts").findings
        return findings, result


def diagnostic(finding: Finding) -> types.Diagnostic:
    span = finding.span
    message = finding.message
    severity = SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning)
    tags = None
    if finding.status == "refuted":
        message = f"(refuted by Dynamo) {message}"
        severity = types.DiagnosticSeverity.Hint
        tags = [types.DiagnosticTag.Unnecessary] if finding.rule is not None and finding.rule.proof == "none" else None
    elif finding.status == "confirmed":
        message = f"(confirmed by Dynamo) {message}"
    said = finding.dynamo
    if said and finding.status in ("confirmed", "refuted"):
        message = f"{message}\ndynamo: {said}"
    return types.Diagnostic(
        range=types.Range(start=types.Position(line=span.line - 1, character=span.column - 1),
                          end=types.Position(line=span.end_line - 1, character=max(span.end_column - 1, 0))),
        message=message,
        severity=severity,
        code=finding.code,
        code_description=types.CodeDescription(href=DOCS_URL.format(code=finding.code)),
        source=SOURCE,
        tags=tags,
        data={"status": finding.status},
    )


def line_edit(before: str, after: str) -> types.TextEdit:
    """The smallest block of whole lines that turns ``before`` into ``after``."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    return types.TextEdit(range=types.Range(start=types.Position(line=start, character=0),
                                            end=types.Position(line=end_old, character=0)),
                          new_text="".join(new[start:end_new]))


def noqa_edit(text: str, line: int, code: str) -> types.TextEdit:
    """A noqa comment for ``code`` at the end of 1-based ``line``, or ``code`` added to the
    noqa comment already there."""
    lines = text.splitlines(keepends=True)
    current = lines[line - 1] if line - 1 < len(lines) else ""
    body = current.rstrip("\r\n")
    match = suppressions._LINE.search(body)
    if match and match.group("codes"):
        updated = f"{body[:match.end()]}, {code}{body[match.end():]}"
    elif match:
        updated = body  # a bare noqa comment already silences every rule
    else:
        updated = f"{body}  # noqa: {code}"
    return types.TextEdit(range=types.Range(start=types.Position(line=line - 1, character=0),
                                            end=types.Position(line=line - 1, character=len(body))),
                          new_text=updated)


class AuditServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("compile-audit", __version__)
        self.project: Optional[Project] = None
        self.debounce = DEBOUNCE
        self.pending: dict[str, asyncio.Task] = {}
        #: uri -> (findings, lint result) of the last lint
        self.last: dict[str, tuple] = {}

    def document(self, uri: str):
        return self.workspace.get_text_document(uri)

    def publish(self, uri: str) -> None:
        """Lint one open document and publish its diagnostics; when the edit changed what the
        project knows (a new ``torch.compile``, a renamed function), the other open documents too."""
        if self.project is None or not uri.endswith((".py", ".pyi")):
            return
        document = self.document(uri)
        path = path_of(uri)
        # the diagnostics first, against what the project knew before this edit; then the
        # index follows the edit, and what it changed is linted again
        shown = self._lint(uri, document)
        if self.project.update(path, document.source):
            for other in list(self.last):  # this document too, published again only if it changed
                self._lint(other, self.document(other), unless=shown if other == uri else None)

    def _lint(self, uri: str, document, unless: Optional[list] = None) -> list:
        """Lint and publish; not published when the diagnostics equal ``unless``."""
        findings, result = self.project.lint(path_of(uri), document.source)
        self.last[uri] = (findings, result, document.source)
        diagnostics = [diagnostic(f) for f in findings]
        if unless is None or diagnostics != unless:
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, version=document.version, diagnostics=diagnostics))
        return diagnostics

    def schedule(self, uri: str) -> None:
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        if self.debounce <= 0:
            self.publish(uri)
            return

        async def later() -> None:
            await asyncio.sleep(self.debounce)
            self.pending.pop(uri, None)
            self.publish(uri)

        self.pending[uri] = asyncio.get_event_loop().create_task(later())


server = AuditServer()


@server.feature(types.INITIALIZE)
def initialize(ls: AuditServer, params: types.InitializeParams) -> None:
    options = params.initialization_options or {}
    if isinstance(options, dict) and "debounce" in options:
        ls.debounce = float(options["debounce"]) / 1000
    folders = params.workspace_folders or []
    root = path_of(folders[0].uri) if folders else (path_of(params.root_uri) if params.root_uri else Path.cwd())
    ls.project = Project(root)


#: what the server asks the client to watch: Python files changed outside the editor, and the
#: files its settings come from
WATCHED = ("**/*.py", "**/pyproject.toml", "**/*.verdicts.json")


@server.feature(types.INITIALIZED)
def initialized(ls: AuditServer, params: types.InitializedParams) -> None:
    """Ask the client to report file changes, when it can be asked (dynamic registration)."""
    workspace = ls.client_capabilities.workspace
    watched = workspace.did_change_watched_files if workspace is not None else None
    if watched is None or not watched.dynamic_registration:
        return
    ls.client_register_capability(types.RegistrationParams(registrations=[types.Registration(
        id="compile-audit-watched-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[types.FileSystemWatcher(glob_pattern=pattern) for pattern in WATCHED]))]))


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: AuditServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.publish(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: AuditServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: AuditServer, params: types.DidSaveTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: AuditServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.last.pop(uri, None)
    if ls.project is not None and path_of(uri).exists():
        ls.project.update(path_of(uri), path_of(uri).read_text(encoding="utf-8", errors="surrogateescape"))
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(ls: AuditServer, params: types.DidChangeWatchedFilesParams) -> None:
    """Files changed outside the editor: the index follows them; a changed ``pyproject.toml`` or
    verdict file reloads the settings, and the open documents are linted again."""
    if ls.project is None:
        return
    reload = False
    for change in params.changes:
        path = path_of(change.uri)
        if path.name == "pyproject.toml" or path.name.endswith(".verdicts.json"):
            reload = True
        elif path.suffix in (".py", ".pyi") and change.uri not in ls.last:
            text = path.read_text(encoding="utf-8", errors="surrogateescape") if path.exists() else ""
            ls.project.update(path, text)
    if reload:
        ls.project.load()
    for uri in list(ls.last):
        ls.publish(uri)


def _fixes(ls: AuditServer, uri: str, wanted: Optional[range]) -> list:
    """(finding, fixed text) for the findings with a fix, on ``wanted`` lines (0-based)."""
    from compile_audit.lint.fix import apply_edit

    findings, result, text = ls.last.get(uri, ([], None, ""))
    out = []
    for finding in findings:
        edit = finding.edit
        if edit is None or result is None or result.module is None:
            continue
        if wanted is not None and not (finding.span.line - 1 in wanted or finding.span.end_line - 1 in wanted):
            continue
        fixed = apply_edit(result.module, edit)
        if fixed is not None and fixed != text:
            out.append((finding, edit.safe, fixed))
    return out


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix,
                                                           types.CodeActionKind.SourceFixAll]))
def code_action(ls: AuditServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    if uri not in ls.last:
        ls.publish(uri)
    findings, _, text = ls.last.get(uri, ([], None, ""))
    lines = range(params.range.start.line, params.range.end.line + 1)
    only = params.context.only or []
    actions: list[types.CodeAction] = []
    if not only or any(k.startswith(types.CodeActionKind.QuickFix) for k in only):
        for finding, safe, fixed in _fixes(ls, uri, lines):
            label = "fix" if safe else "unsafe fix"
            actions.append(types.CodeAction(
                title=f"{finding.code}: {label}: {finding.rule.name if finding.rule else finding.code}",
                kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic(finding)], is_preferred=safe,
                edit=types.WorkspaceEdit(changes={uri: [line_edit(text, fixed)]})))
        for finding in findings:
            if finding.span.line - 1 in lines and not (finding.rule is not None and finding.rule.own):
                actions.append(types.CodeAction(
                    title=f"{finding.code}: suppress with `# noqa: {finding.code}`",
                    kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic(finding)],
                    edit=types.WorkspaceEdit(changes={uri: [noqa_edit(text, finding.span.line, finding.code)]})))
    if any(k.startswith(types.CodeActionKind.SourceFixAll) for k in only) or not only:
        from compile_audit.lint.fix import fix_text

        if ls.project is not None and any(safe for _, safe, _ in _fixes(ls, uri, None)):
            path = path_of(uri)
            session = ls.project.session
            fixed = fix_text(text, session.display(path), lambda source: session.lint_buffer(path, source), False).text
            if fixed != text:
                actions.append(types.CodeAction(
                    title="compile-audit: apply every safe fix", kind=types.CodeActionKind.SourceFixAll,
                    edit=types.WorkspaceEdit(changes={uri: [line_edit(text, fixed)]})))
    return actions


def hover_text(finding: Finding) -> str:
    rule = finding.rule
    if rule is None:
        return f"**{finding.code}** {finding.message}"
    parts = [f"**{rule.code} {rule.name}** ({finding.status})", "", rule.what.strip(), "", "**Why:** " + rule.why.strip()]
    if finding.dynamo:
        parts += ["", f"**Dynamo:** {finding.dynamo}"]
    if rule.VALID:
        parts += ["", "**Use instead:**", "", "```python", rule.VALID[0].source.rstrip(), "```"]
    parts += ["", f"[{rule.code} documentation]({DOCS_URL.format(code=rule.code)})"]
    return "\n".join(parts)


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: AuditServer, params: types.HoverParams) -> Optional[types.Hover]:
    uri = params.text_document.uri
    if uri not in ls.last:
        ls.publish(uri)
    findings = ls.last.get(uri, ([], None, ""))[0]
    line, character = params.position.line + 1, params.position.character + 1
    for finding in findings:
        span = finding.span
        after_start = (line, character) >= (span.line, span.column)
        before_end = (line, character) <= (span.end_line, span.end_column)
        if after_start and before_end:
            return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=hover_text(finding)))
    return None


def main() -> int:
    server.start_io()
    return 0


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
