"""`compile-audit server`: the language server, driven by a real LSP client (pytest-lsp) that
starts it as a subprocess, with the command docs/editors.md gives each editor."""

import asyncio
import json
import re
import shutil
import sys
import tempfile
import textwrap
import tomllib
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

from conftest import ROOT  # noqa: E402

EDITORS = (ROOT / "docs" / "editors.md").read_text()


def editor_commands() -> dict:
    """Each editor's server command, as the snippets in docs/editors.md write it."""
    commands = {}
    vscode = re.search(r"```jsonc\n(.*?)```", EDITORS, re.S).group(1)
    settings = json.loads(re.sub(r"^\s*//.*$", "", vscode, flags=re.M))
    commands["vscode"] = [settings["glspc.server.command"], *settings["glspc.server.commandArguments"]]
    commands["debounce"] = settings["glspc.server.initializationOptions"]["debounce"]
    neovim = re.search(r"```lua\n(.*?)```", EDITORS, re.S).group(1)
    commands["neovim"] = re.findall(r'"([^"]+)"', re.search(r"cmd\s*=\s*\{([^}]*)\}", neovim).group(1))
    helix = tomllib.loads(re.search(r"```toml\n(.*?)```", EDITORS, re.S).group(1))
    server = helix["language-server"]["compile-audit"]
    commands["helix"] = [server["command"], *server["args"]]
    assert "compile-audit" in helix["language"][0]["language-servers"]
    return commands


def executable(command: list) -> list:
    """The snippet's command, with ``compile-audit`` resolved in this interpreter's folder."""
    found = shutil.which(command[0], path=str(Path(sys.executable).parent))
    return [found or command[0], *command[1:]]


MODEL = textwrap.dedent("""\
    import torch
    from torch import nn


    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.proj = nn.Linear(4, 4)

        def forward(self, x):
            out = self.proj(x)
            if isinstance(out, tuple):
                out = out[0]
            print("shape", out.shape)
            scale = out.abs().max().item()
            return out / scale


    compiled = torch.compile(Block())
    """)
HELPER = textwrap.dedent("""\
    import torch


    def peak(x):
        return x.max().item()
    """)
SETTINGS = textwrap.dedent("""\
    [tool.compile-audit]
    severity = { CA105 = "info" }
    per-file-ignores = { "quiet/*.py" = ["CA102"] }
    """)


def workspace() -> Path:
    root = Path(tempfile.mkdtemp(prefix="compile-audit-lsp-"))
    (root / "pyproject.toml").write_text(SETTINGS)
    (root / "model.py").write_text(MODEL)
    (root / "helper.py").write_text(HELPER)
    (root / "quiet").mkdir()
    (root / "quiet" / "model.py").write_text(MODEL)
    return root


@pytest_lsp.fixture(config=ClientServerConfig(server_command=executable(editor_commands()["neovim"])))
async def client(lsp_client: LanguageClient):
    root = workspace()
    lsp_client.root = root
    lsp_client.registered = []

    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        lsp_client.registered.extend(params.registrations)

    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=types.ClientCapabilities(workspace=types.WorkspaceClientCapabilities(
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True))),
        workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="project")],
        initialization_options={"debounce": editor_commands()["debounce"]}))
    yield
    await lsp_client.shutdown_session()
    shutil.rmtree(root, ignore_errors=True)


async def open_file(client: LanguageClient, name: str, text=None) -> str:
    path = client.root / name
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="python", version=1, text=path.read_text() if text is None else text)))
    await diagnostics_for(client, uri)
    return uri


async def diagnostics_for(client: LanguageClient, uri: str, timeout: float = 30):
    """Wait for the next diagnostics of ``uri``."""
    client.diagnostics.pop(uri, None)
    while uri not in client.diagnostics:
        await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), timeout)
    return client.diagnostics[uri]


def codes(diagnostics) -> list:
    return sorted(d.code for d in diagnostics)


def change(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))


async def code_actions(client: LanguageClient, uri: str, line: int) -> list:
    """The code actions offered at the start of 0-based ``line``."""
    here = types.Position(line=line, character=0)
    return await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=types.Range(start=here, end=here),
        context=types.CodeActionContext(diagnostics=[])))


def apply(text: str, edit: types.TextEdit) -> str:
    lines = text.splitlines(keepends=True)
    start, end = edit.range.start, edit.range.end
    offset = sum(len(line) for line in lines[:start.line]) + start.character
    stop = sum(len(line) for line in lines[:end.line]) + end.character
    return text[:offset] + edit.new_text + text[stop:]


@pytest.mark.asyncio(loop_scope="function")
async def test_diagnostics_on_open_with_the_projects_settings(client: LanguageClient):
    uri = await open_file(client, "model.py")
    found = client.diagnostics[uri]
    assert codes(found) == ["CA101", "CA102", "CA105"]
    by_code = {d.code: d for d in found}
    assert by_code["CA105"].severity == types.DiagnosticSeverity.Information  # severity = { CA105 = "info" }
    assert by_code["CA102"].code_description.href.endswith("docs/rules/CA102.md")
    assert by_code["CA102"].range.start == types.Position(line=14, character=16)
    assert all(d.source == "compile-audit" for d in found)
    quiet = await open_file(client, "quiet/model.py")
    assert codes(client.diagnostics[quiet]) == ["CA101", "CA105"]  # per-file-ignores


@pytest.mark.asyncio(loop_scope="function")
async def test_code_actions_apply_cleanly(client: LanguageClient):
    uri = await open_file(client, "model.py")
    text = MODEL
    isinstance_line = text.splitlines().index("        if isinstance(out, tuple):")
    actions = await code_actions(client, uri, isinstance_line)
    titles = [a.title for a in actions]
    assert titles[0].startswith("CA101: fix: "), titles  # the safe fix first
    assert "CA101: suppress with `# noqa: CA101`" in titles
    fix = next(a for a in actions if a.title.startswith("CA101: fix"))
    (edit,) = fix.edit.changes[uri]
    fixed = apply(text, edit)
    compile(fixed, "model.py", "exec")
    change(client, uri, 2, fixed)
    assert "CA101" not in codes(await diagnostics_for(client, uri))

    # the unsafe fix of the print is labelled so, and the noqa action silences a finding
    print_line = fixed.splitlines().index('        print("shape", out.shape)')
    actions = await code_actions(client, uri, print_line)
    assert any(a.title.startswith("CA105: unsafe fix") for a in actions), [a.title for a in actions]
    noqa = next(a for a in actions if a.title.startswith("CA105: suppress"))
    silenced = apply(fixed, noqa.edit.changes[uri][0])
    assert '    print("shape", out.shape)  # noqa: CA105\n' in silenced
    change(client, uri, 3, silenced)
    assert codes(await diagnostics_for(client, uri)) == ["CA102"]


@pytest.mark.asyncio(loop_scope="function")
async def test_hover_explains_the_rule(client: LanguageClient):
    uri = await open_file(client, "model.py")
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=14, character=30)))
    assert hover is not None
    assert "CA102" in hover.contents.value and "**Why:**" in hover.contents.value
    assert "**Use instead:**" in hover.contents.value
    nothing = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=0, character=0)))
    assert nothing is None


@pytest.mark.asyncio(loop_scope="function")
async def test_a_syntax_error_mid_typing_is_ca901_and_the_server_goes_on(client: LanguageClient):
    uri = await open_file(client, "model.py")
    broken = MODEL.replace("    def forward(self, x):", "    def forward(self, x:")
    change(client, uri, 2, broken)
    assert codes(await diagnostics_for(client, uri)) == ["CA901"]
    change(client, uri, 3, MODEL)
    assert codes(await diagnostics_for(client, uri)) == ["CA101", "CA102", "CA105"]


@pytest.mark.asyncio(loop_scope="function")
async def test_many_edits_in_a_row_end_on_the_last_text(client: LanguageClient):
    uri = await open_file(client, "model.py")
    for version in range(2, 42):  # typing: each keystroke a new version, faster than the debounce
        change(client, uri, version, MODEL + "".join(f"# note {i}\n" for i in range(version)))
    change(client, uri, 42, MODEL.replace('        print("shape", out.shape)\n', ""))
    found = await diagnostics_for(client, uri)
    assert codes(found) == ["CA101", "CA102"]  # the last text's findings, not an earlier one's


@pytest.mark.asyncio(loop_scope="function")
async def test_what_compiles_what_follows_the_edits(client: LanguageClient):
    helper = await open_file(client, "helper.py")
    assert codes(client.diagnostics[helper]) == []  # nothing compiles peak() yet
    uri = await open_file(client, "model.py")
    compiled = MODEL + "from helper import peak\npeak_fast = torch.compile(peak)\n"
    change(client, uri, 2, compiled)
    for _ in range(5):  # the edited file's diagnostics, then the other open file's
        if codes(client.diagnostics.get(helper, [])) == ["CA102"]:
            break
        try:
            await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 5)
        except asyncio.TimeoutError:
            break
    assert codes(client.diagnostics[helper]) == ["CA102"]


@pytest.mark.asyncio(loop_scope="function")
async def test_a_verdict_file_marks_refuted_findings(client: LanguageClient):
    from compile_audit.core import verdicts
    from compile_audit.core.config import Settings
    from compile_audit.lint.scan import scan
    from compile_audit.lint.session import Session

    root = client.root
    result = scan(Session(Settings(root=root), root, [root / "model.py"]), [root / "model.py"])
    for finding in result.findings:
        if finding.code == "CA101":
            finding.status, finding.dynamo = "refuted", "traced without a graph break on this torch"
    verdicts.write(root / verdicts.DEFAULT_FILE, result.findings, result.sources, torch="2.13.0",
                   backend="eager", device="cpu")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[types.FileEvent(
        uri=(root / verdicts.DEFAULT_FILE).as_uri(), type=types.FileChangeType.Created)]))
    uri = await open_file(client, "model.py")
    ca101 = next(d for d in client.diagnostics[uri] if d.code == "CA101")
    assert ca101.severity == types.DiagnosticSeverity.Hint
    assert ca101.message.startswith("(refuted by Dynamo)")


@pytest.mark.asyncio(loop_scope="function")
async def test_the_server_asks_to_watch_python_files_and_its_settings(client: LanguageClient):
    await open_file(client, "model.py")  # after initialized
    watchers = [w["globPattern"] if isinstance(w, dict) else w.glob_pattern
                for r in client.registered if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
                for w in (r.register_options["watchers"] if isinstance(r.register_options, dict)
                          else r.register_options.watchers)]
    assert {"**/*.py", "**/pyproject.toml"} <= set(watchers), watchers


def test_every_editor_snippet_starts_the_same_server():
    commands = editor_commands()
    assert commands["vscode"] == commands["neovim"] == commands["helix"] == ["compile-audit", "server"]
