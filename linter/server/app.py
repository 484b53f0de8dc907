"""`slint server`: the Language Server Protocol over stdio, on pygls.

- Diagnostics on open, on change (debounced) and on save, for documents that are templates by
  content (anything else gets an empty list); checking runs in a worker thread so the event loop
  never waits for it, and a newer edit supersedes a check still waiting.
- Workspace-wide rules (duplicate bucket names across templates) use every template of the
  workspace folders, read once at start (with the result cache) and refreshed on save.
- Hover over a diagnostic explains its rule; code actions add a suppression (inline comment or
  resource Metadata) with a reason placeholder.
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

from lsprotocol import types as T
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from . import actions, convert
from .checker import Checker

DEBOUNCE_SECONDS = 0.25
LANGUAGES = ("yaml", "json", "cloudformation", "cfn", "sam")


class SlintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("slint", __version__)
        self.checker = Checker()
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="slint-check")
        self.pending: dict[str, asyncio.Task] = {}
        self.versions: dict[str, int] = {}
        self.diags: dict[str, list[dict]] = {}       # uri -> published diagnostics (JSON shape)
        self.local: dict[str, list] = {}             # uri -> per-file findings of the last check
        self.docs_cache: dict[str, str] = {}

    # ------------------------------------------------------------------ checking
    def schedule(self, uri: str, delay: float) -> None:
        old = self.pending.pop(uri, None)
        if old is not None:
            old.cancel()
        self.pending[uri] = asyncio.get_event_loop().create_task(self._check_later(uri, delay))

    async def _check_later(self, uri: str, delay: float) -> None:
        try:
            if delay:
                await asyncio.sleep(delay)
            doc = self.workspace.get_text_document(uri)
            version = doc.version
            path = _path(uri)
            text = doc.source
            loop = asyncio.get_event_loop()
            checked = await loop.run_in_executor(self.pool, self.checker.check, path, text)
            if self.workspace.get_text_document(uri).version != version:
                return  # a newer edit is on its way
            self.local[uri] = checked.findings
            self.versions[uri] = version
            self.publish(uri, text)
        except asyncio.CancelledError:
            pass
        except Exception as exc:  # never take the server down: say it in the log
            self.window_log_message(T.LogMessageParams(T.MessageType.Error,
                                                       f"slint: check failed: {exc!r}"))
        finally:
            task = self.pending.get(uri)
            if task is asyncio.current_task():
                self.pending.pop(uri, None)

    def publish(self, uri: str, text: str, project: dict | None = None) -> None:
        path = _path(uri)
        lines = convert.Lines(text)
        findings = list(self.local.get(uri, ()))
        proj = project if project is not None else self._project()
        findings += proj.get(path, [])
        diags = [convert.diagnostic(f, lines, _uri_of) for f in findings]
        self.diags[uri] = diags
        self.text_document_publish_diagnostics(T.PublishDiagnosticsParams(
            uri=uri, diagnostics=[_to_lsp(d) for d in diags], version=self.versions.get(uri)))

    def _project(self) -> dict:
        try:
            return self.checker.project_findings()
        except Exception:  # pragma: no cover - isolated like a rule
            return {}

    async def refresh_project(self) -> None:
        """Republish every open document with fresh workspace-wide findings."""
        loop = asyncio.get_event_loop()
        project = await loop.run_in_executor(self.pool, self._project)
        for uri in list(self.local):
            try:
                text = self.workspace.get_text_document(uri).source
            except Exception:  # closed meanwhile
                continue
            self.publish(uri, text, project)

    def rule_docs(self, code: str) -> str:
        if code not in self.docs_cache:
            from slint.rules import all_rules
            from ..rules_meta import doc_section
            text = ""
            for r in all_rules():
                if r.code == code:
                    what = doc_section(r, "What it does")
                    why = doc_section(r, "Why is this bad?")
                    text = "\n\n".join(x for x in (what, why and f"**Why is this bad?** {why}") if x)
            self.docs_cache[code] = text
        return self.docs_cache[code]


def _path(uri: str) -> str:
    return os.path.abspath(to_fs_path(uri) or uri)


def _uri_of(file: str) -> str | None:
    return from_fs_path(os.path.abspath(file)) if file else None


_CONVERTER = None


def _converter():
    """lsprotocol's cattrs converter: building one costs ~15 ms, so build it once."""
    global _CONVERTER
    if _CONVERTER is None:
        from lsprotocol.converters import get_converter
        _CONVERTER = get_converter()
    return _CONVERTER


def _to_lsp(d: dict) -> T.Diagnostic:
    return _converter().structure(d, T.Diagnostic)


server = SlintServer()


@server.feature(T.INITIALIZED)
async def _initialized(ls: SlintServer, params: T.InitializedParams) -> None:
    roots = []
    for folder in (ls.workspace.folders or {}).values():
        roots.append(_path(folder.uri))
    if not roots and ls.workspace.root_path:
        roots.append(os.path.abspath(ls.workspace.root_path))
    ls.checker.roots = roots
    if roots:
        loop = asyncio.get_event_loop()
        await loop.run_in_executor(ls.pool, ls.checker.scan_workspace)
        await ls.refresh_project()


@server.feature(T.TEXT_DOCUMENT_DID_OPEN)
def _did_open(ls: SlintServer, params: T.DidOpenTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, 0)


@server.feature(T.TEXT_DOCUMENT_DID_CHANGE)
def _did_change(ls: SlintServer, params: T.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, DEBOUNCE_SECONDS)


@server.feature(T.TEXT_DOCUMENT_DID_SAVE)
async def _did_save(ls: SlintServer, params: T.DidSaveTextDocumentParams) -> None:
    uri = params.text_document.uri
    task = ls.pending.get(uri)
    if task is not None:
        await asyncio.gather(task, return_exceptions=True)
    ls.checker.saved(_path(uri))
    await ls.refresh_project()


@server.feature(T.TEXT_DOCUMENT_DID_CLOSE)
def _did_close(ls: SlintServer, params: T.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    task = ls.pending.pop(uri, None)
    if task is not None:
        task.cancel()
    ls.checker.close(_path(uri))
    ls.local.pop(uri, None)
    ls.diags.pop(uri, None)
    ls.versions.pop(uri, None)
    ls.text_document_publish_diagnostics(T.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@server.feature(T.TEXT_DOCUMENT_HOVER)
def _hover(ls: SlintServer, params: T.HoverParams) -> T.Hover | None:
    pos = params.position
    under = [d for d in ls.diags.get(params.text_document.uri, ())
             if convert.contains(d["range"], pos.line, pos.character)]
    docs = {d["code"]: ls.rule_docs(d["code"]) for d in under}
    text = convert.hover_markdown(under, docs)
    if text is None:
        return None
    return T.Hover(contents=T.MarkupContent(kind=T.MarkupKind.Markdown, value=text))


@server.feature(T.TEXT_DOCUMENT_CODE_ACTION,
                T.CodeActionOptions(code_action_kinds=[T.CodeActionKind.QuickFix]))
def _code_action(ls: SlintServer, params: T.CodeActionParams) -> list[T.CodeAction]:
    uri = params.text_document.uri
    rng = params.range
    ours = [d for d in ls.diags.get(uri, ())
            if not (d["range"]["end"]["line"] < rng.start.line
                    or d["range"]["start"]["line"] > rng.end.line)]
    text = ls.workspace.get_text_document(uri).source
    conv = _converter()
    out = []
    for a in actions.code_actions(uri, text, ours):
        a = dict(a)
        a["diagnostics"] = [_to_lsp(d) for d in a["diagnostics"]]
        out.append(T.CodeAction(title=a["title"], kind=T.CodeActionKind.QuickFix,
                                diagnostics=a["diagnostics"],
                                edit=conv.structure(a["edit"], T.WorkspaceEdit)))
    return out


def serve() -> None:
    server.start_io()
