"""The language server end to end: a real LSP client (pytest-lsp) starts `slint server` over
stdio, opens, edits and saves documents, and reads what the server publishes."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import textwrap

import pytest
import pytest_lsp
from lsprotocol import types as T
from pytest_lsp import ClientServerConfig, LanguageClient

pytestmark = pytest.mark.asyncio(loop_scope="module")

OPEN_URL = textwrap.dedent("""\
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Fn:
        Type: AWS::Serverless::Function
        Properties:
          Handler: app.handler
          Runtime: python3.12
          CodeUri: .
          FunctionUrlConfig:
            AuthType: NONE
    """)
CLEAN = OPEN_URL.replace("AuthType: NONE", "AuthType: AWS_IAM")


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(
    server_command=[sys.executable, "-m", "slint", "server"],
    server_env={**os.environ, "SLINT_CACHE_DIR": tempfile.mkdtemp(prefix="slint-lsp-cache-")}))
async def client(lsp_client: LanguageClient, tmp_path_factory):
    root = tmp_path_factory.mktemp("ws")
    (root / ".slint.toml").write_text("")
    (root / "other.yaml").write_text(
        "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: shared-name}\n")
    lsp_client.root = root
    await lsp_client.initialize_session(T.InitializeParams(
        capabilities=pytest_lsp.client_capabilities("visual-studio-code"),
        root_uri=root.as_uri(),
        workspace_folders=[T.WorkspaceFolder(uri=root.as_uri(), name="ws")]))
    yield
    await lsp_client.shutdown_session()


async def _open(client, name: str, text: str, language="yaml"):
    uri = (client.root / name).as_uri()
    (client.root / name).write_text(text)
    client.text_document_did_open(T.DidOpenTextDocumentParams(
        text_document=T.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)))
    return uri


async def _diags(client, uri, pred=lambda diags: True, timeout=20):
    """The diagnostics published for ``uri`` once ``pred`` holds for them (pytest-lsp keeps the
    latest list per URI, so a notification that came before we looked is not missed)."""
    async def wait():
        while True:
            if uri in client.diagnostics and pred(client.diagnostics[uri]):
                return client.diagnostics[uri]
            await asyncio.sleep(0.05)
    return await asyncio.wait_for(wait(), timeout)


def _codes(diags):
    return [d.code for d in diags]


async def test_open_change_hover_and_code_actions(client: LanguageClient):
    uri = await _open(client, "app.yaml", OPEN_URL)
    diags = await _diags(client, uri, lambda ds: "API002" in _codes(ds))
    (d,) = [d for d in diags if d.code == "API002"] or [None]
    assert d is not None, [x.code for x in diags]
    assert d.source == "slint" and d.severity in (T.DiagnosticSeverity.Error, T.DiagnosticSeverity.Warning)
    assert d.range.start.line == 9  # `AuthType: NONE`, 0-based
    assert d.code_description.href.endswith("/docs/rules/API002.md")

    hover = await client.text_document_hover_async(T.HoverParams(
        text_document=T.TextDocumentIdentifier(uri=uri), position=d.range.start))
    assert hover is not None and "API002" in hover.contents.value
    assert "Why is this bad?" in hover.contents.value

    acts = await client.text_document_code_action_async(T.CodeActionParams(
        text_document=T.TextDocumentIdentifier(uri=uri), range=d.range,
        context=T.CodeActionContext(diagnostics=[d])))
    titles = sorted(a.title for a in acts)
    assert any("ignore comment" in t for t in titles) and any("Metadata" in t for t in titles)
    inline = next(a for a in acts if "ignore comment" in a.title)
    (edit,) = inline.edit.changes[uri]
    assert edit.new_text == "        # slint: ignore[API002] TODO: say why this is acceptable\n"
    assert edit.range.start.line == 9

    # an edit that fixes it: the diagnostic goes away (debounced, off the event loop)
    client.text_document_did_change(T.DidChangeTextDocumentParams(
        text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[T.TextDocumentContentChangeWholeDocument(text=CLEAN)]))
    diags = await _diags(client, uri, lambda ds: "API002" not in _codes(ds))
    assert "API002" not in _codes(diags)


async def test_not_a_template_gets_no_diagnostics(client: LanguageClient):
    uri = await _open(client, "notes.yaml", "a: 1\nb: [2, 3]\n")
    assert list(await _diags(client, uri)) == []


async def test_parse_error_is_a_diagnostic_with_its_line(client: LanguageClient):
    uri = await _open(client, "broken.yaml", "Resources:\n  A: [unclosed\n")
    diags = await _diags(client, uri)
    assert [d.code for d in diags] == ["SYN001"] and diags[0].range.start.line >= 1


async def test_workspace_wide_duplicate_names_refresh_on_save(client: LanguageClient):
    text = "Resources:\n  Mine:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: shared-name}\n"
    uri = await _open(client, "mine.yaml", text)
    diags = await _diags(client, uri, lambda ds: "BKT003" in _codes(ds))
    # other.yaml (on disk, read at start, not open) names the same bucket
    dup = [d for d in diags if d.code == "BKT003"]
    assert "other.yaml" in dup[0].message
    assert dup[0].related_information[0].location.uri.endswith("other.yaml")
    # the user opens other.yaml, renames its bucket and saves it: mine.yaml, not edited, is
    # republished without the cross-file finding
    other = (client.root / "other.yaml").read_text()
    other_uri = await _open(client, "other.yaml", other)
    await _diags(client, other_uri, lambda ds: "BKT003" in _codes(ds))
    renamed = other.replace("shared-name", "other-name")
    client.text_document_did_change(T.DidChangeTextDocumentParams(
        text_document=T.VersionedTextDocumentIdentifier(uri=other_uri, version=2),
        content_changes=[T.TextDocumentContentChangeWholeDocument(text=renamed)]))
    (client.root / "other.yaml").write_text(renamed)
    client.text_document_did_save(T.DidSaveTextDocumentParams(
        text_document=T.TextDocumentIdentifier(uri=other_uri)))
    diags = await _diags(client, uri, lambda ds: "BKT003" not in _codes(ds))
    assert "BKT003" not in _codes(diags)
